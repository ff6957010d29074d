package dev.shoal.internal.controlplane.secret;

import dev.shoal.internal.store.StoredSecret;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Sealed secrets as files of one directory, readable by their owner alone: the embedded engine's shelf, shared by
 * every process of the user on the machine ({@code shoal secret create} in one, the functions of another).
 *
 * <p>A file is written whole beside its final name and then linked or renamed into place, so that a reader in
 * another process never sees half of one.
 */
public final class SecretDirectory implements SecretShelf {
  private static final String SUFFIX = ".secret";
  private static final int FORMAT = 1;

  private final Path dir;

  public SecretDirectory(Path dir) {
    this.dir = dir;
  }

  @Override
  public synchronized boolean insert(StoredSecret secret) {
    Path fresh = write(secret);
    try {
      Files.createLink(file(secret.name()), fresh);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep secret '" + secret.name() + "' in " + dir, e);
    } finally {
      deleteQuietly(fresh);
    }
  }

  @Override
  public synchronized void replace(StoredSecret secret) {
    StoredSecret kept = get(secret.name())
        .map(old -> new StoredSecret(secret.name(), secret.keys(), secret.sealed(), old.createdAt(),
            secret.updatedAt()))
        .orElse(secret);
    Path fresh = write(kept);
    try {
      Files.move(fresh, file(secret.name()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      deleteQuietly(fresh);
      throw new UncheckedIOException("cannot keep secret '" + secret.name() + "' in " + dir, e);
    }
  }

  @Override
  public Optional<StoredSecret> get(String name) {
    try {
      return Optional.of(read(name, Files.readAllBytes(file(name))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read secret '" + name + "' in " + dir, e);
    }
  }

  @Override
  public List<StoredSecret> all() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<StoredSecret> secrets = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        get(name.substring(0, name.length() - SUFFIX.length())).ifPresent(secrets::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the secrets in " + dir, e);
    }
    secrets.sort(Comparator.comparing(StoredSecret::name));
    return secrets;
  }

  @Override
  public synchronized boolean delete(String name) {
    try {
      return Files.deleteIfExists(file(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete secret '" + name + "' in " + dir, e);
    }
  }

  /** Names are checked by {@link SecretNames}, so that one cannot leave the directory. */
  private Path file(String name) {
    return dir.resolve(SecretNames.name(name) + SUFFIX);
  }

  private Path write(StoredSecret secret) {
    try {
      Files.createDirectories(dir, ownerOnly("rwx------"));
      Path fresh = Files.createTempFile(dir, "." + secret.name(), ".new", ownerOnly("rw-------"));
      Files.write(fresh, encode(secret));
      return fresh;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep secret '" + secret.name() + "' in " + dir, e);
    }
  }

  private FileAttribute<?>[] ownerOnly(String permissions) throws IOException {
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    boolean posix = existing != null
        && Files.getFileStore(existing).supportsFileAttributeView(PosixFileAttributeView.class);
    return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString(permissions))} : new FileAttribute<?>[0];
  }

  private static byte[] encode(StoredSecret secret) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(FORMAT);
      out.writeLong(secret.createdAt().toEpochMilli());
      out.writeLong(secret.updatedAt().toEpochMilli());
      out.writeInt(secret.keys().size());
      for (String key : secret.keys()) {
        out.writeUTF(key);
      }
      out.writeInt(secret.sealed().length);
      out.write(secret.sealed());
    }
    return bytes.toByteArray();
  }

  private StoredSecret read(String name, byte[] bytes) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readInt() != FORMAT) {
        throw new IOException("secret file " + file(name) + " is not in a format this version of Shoal reads");
      }
      Instant created = Instant.ofEpochMilli(in.readLong());
      Instant updated = Instant.ofEpochMilli(in.readLong());
      int n = in.readInt();
      List<String> keys = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        keys.add(in.readUTF());
      }
      return new StoredSecret(name, keys, in.readNBytes(in.readInt()), created, updated);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover temporary file is harmless: it ends in ".new" and is never read.
    }
  }
}
