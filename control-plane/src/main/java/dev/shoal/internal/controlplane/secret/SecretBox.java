package dev.shoal.internal.controlplane.secret;

import dev.shoal.internal.controlplane.CoreException;
import dev.shoal.internal.controlplane.CoreException.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a secret's values with AES-256-GCM under one key, and opens them again. The secret's name is
 * authenticated with its values, so that sealed values moved under another name do not open.
 *
 * <p>A sealed secret is a format byte, a fresh 12-byte nonce, then the ciphertext with its 16-byte tag.
 */
public final class SecretBox {
  private static final byte FORMAT = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int KEY_BYTES = 32;
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final Supplier<SecretKey> keySource;
  private final SecureRandom random = new SecureRandom();
  /** Guarded by this; null until first used. */
  private SecretKey key;

  private SecretBox(Supplier<SecretKey> keySource) {
    this.keySource = keySource;
  }

  private SecretBox(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
    this.keySource = () -> this.key;
  }

  /**
   * The box of the key in {@code file}, read (or made) when a secret is first sealed or opened, so that an engine
   * whose functions name no secret never touches the file. See {@link #fromKeyFile}.
   */
  public static SecretBox lazilyFromKeyFile(Path file) {
    return new SecretBox(() -> fromKeyFile(file).key());
  }

  private synchronized SecretKey key() {
    if (key == null) {
      key = keySource.get();
    }
    return key;
  }

  /** A box whose key lives only in this JVM: what it seals is unreadable once the JVM ends. */
  public static SecretBox ephemeral() {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return new SecretBox(key);
  }

  /**
   * The box of the key in {@code file}: a base64 line of 32 bytes. A missing file is created with a new key,
   * readable by its owner alone; an existing one that anyone may read is refused, as is one that holds no key.
   */
  public static SecretBox fromKeyFile(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
      if (posix != null) {
        // Group reading is let through: a key mounted from a Kubernetes Secret with an fsGroup is 0440.
        Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
        if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
          throw new IllegalStateException("the secret key file " + file + " may be read by anyone ("
              + PosixFilePermissions.toString(permissions) + "); make it its owner's alone: chmod 600 " + file);
        }
      }
      byte[] key;
      try {
        key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
      } catch (IllegalArgumentException e) {
        key = new byte[0];
      }
      if (key.length != KEY_BYTES) {
        throw new IllegalStateException("the secret key file " + file + " does not hold a key: it must hold one"
            + " line of base64 for 32 bytes (`openssl rand -base64 32`)");
      }
      return new SecretBox(key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the secret key file " + file, e);
    }
  }

  /** Writes a new key beside {@code file} and links it into place, so that no reader sees a half-written key. */
  private static void create(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
    Path fresh = posix
        ? Files.createTempFile(dir, ".secret-key", ".new", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
        : Files.createTempFile(dir, ".secret-key", ".new");
    try {
      Files.writeString(fresh, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
      Files.createLink(file, fresh);
    } catch (FileAlreadyExistsException e) {
      // Another process made it first: use its key.
    } finally {
      Files.deleteIfExists(fresh);
    }
  }

  /** The values sealed, bound to {@code name}. */
  public byte[] seal(String name, Map<String, String> values) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(encode(values));
      return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(FORMAT).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal secret '" + name + "'", e);
    }
  }

  /** The values of a secret sealed under {@code name}; DATA_LOSS when they were sealed otherwise or altered. */
  public Map<String, String> open(String name, byte[] sealed) {
    if (sealed.length < 1 + NONCE_BYTES || sealed[0] != FORMAT) {
      throw unreadable(name, null);
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
      cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
      return decode(cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES));
    } catch (GeneralSecurityException e) {
      throw unreadable(name, e);
    }
  }

  private static CoreException unreadable(String name, Throwable cause) {
    return new CoreException(Kind.DATA_LOSS, "secret '" + name + "' cannot be opened with this engine's secret key"
        + " (was the key file replaced?); create the secret again with `shoal secret create " + name
        + " KEY=VALUE… --force`", cause);
  }

  private static byte[] encode(Map<String, String> values) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(values.size());
      for (Map.Entry<String, String> e : values.entrySet()) {
        writeString(out, e.getKey());
        writeString(out, e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static Map<String, String> decode(byte[] plain) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
      int n = in.readInt();
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        values.put(readString(in), readString(in));
      }
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Length-prefixed rather than writeUTF, whose limit of 65,535 bytes a value may pass.
  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
  }
}
