package dev.shoal.internal.controlplane.secret;

import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StoredSecret;
import java.util.List;
import java.util.Optional;

/** Where sealed secrets are kept: the state store of a server, or a directory of the user's on one machine. */
public interface SecretShelf {
  /** Keeps a secret whose name is free; false, with nothing changed, when the name is taken. */
  boolean insert(StoredSecret secret);

  /** Keeps a secret, replacing the keys, values and update time of the one of that name, if any. */
  void replace(StoredSecret secret);

  Optional<StoredSecret> get(String name);

  /** Every secret, by name. */
  List<StoredSecret> all();

  boolean delete(String name);

  /** The secrets of a state store. */
  static SecretShelf of(StateStore store) {
    return new SecretShelf() {
      @Override
      public boolean insert(StoredSecret secret) {
        return store.insertSecret(secret);
      }

      @Override
      public void replace(StoredSecret secret) {
        store.replaceSecret(secret);
      }

      @Override
      public Optional<StoredSecret> get(String name) {
        return store.secret(name);
      }

      @Override
      public List<StoredSecret> all() {
        return store.secrets();
      }

      @Override
      public boolean delete(String name) {
        return store.deleteSecret(name);
      }
    };
  }
}
