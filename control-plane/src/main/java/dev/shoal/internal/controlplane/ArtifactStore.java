package dev.shoal.internal.controlplane;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classpath artifacts that clients upload, stored by the SHA-256 of their content. A container started from
 * them needs nothing of the client's machine. An upload is written to a temporary file, checked against the
 * hash it claims, and moved into place in one step, so a reader never sees half an artifact.
 */
public final class ArtifactStore {
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern STORED_NAME = Pattern.compile("([0-9a-f]{64})\\.jar");
  private final Path dir;

  public ArtifactStore(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the artifact directory " + dir, e);
    }
  }

  public boolean has(String hash) {
    return valid(hash) && Files.isRegularFile(path(hash));
  }

  public Path path(String hash) {
    if (!valid(hash)) {
      throw new IllegalArgumentException("an artifact hash is 64 lower-case hex digits, was '" + hash + "'");
    }
    return dir.resolve(hash + ".jar");
  }

  /**
   * The hash of the artifact stored at {@code path}, or empty when the path is not one of an artifact store's:
   * a backend whose containers run on another machine (a pod) passes them hashes to fetch rather than paths.
   */
  public static Optional<String> hashOf(String path) {
    Matcher m = STORED_NAME.matcher(Path.of(path).getFileName().toString());
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  static boolean valid(String hash) {
    return hash != null && HASH.matcher(hash).matches();
  }

  /** Receives one upload in chunks. */
  public Upload upload(String hash) {
    return new Upload(hash);
  }

  /** An upload in progress. */
  public final class Upload {
    private final String hash;
    private final Path temp;
    private final OutputStream out;
    private final MessageDigest digest;

    private Upload(String hash) {
      if (!valid(hash)) {
        throw new IllegalArgumentException("an artifact hash is 64 lower-case hex digits, was '" + hash + "'");
      }
      this.hash = hash;
      try {
        this.temp = Files.createTempFile(dir, "upload-", ".part");
        this.out = Files.newOutputStream(temp);
        this.digest = MessageDigest.getInstance("SHA-256");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot store an upload in " + dir, e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("this JVM has no SHA-256", e);
      }
    }

    public void write(byte[] chunk) {
      digest.update(chunk);
      try {
        out.write(chunk);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write artifact " + hash, e);
      }
    }

    /** Checks the content against its hash and publishes it. */
    public void finish() {
      try {
        out.close();
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(hash)) {
          Files.deleteIfExists(temp);
          throw new IllegalArgumentException("artifact upload claimed hash " + hash + " but its content hashes to "
              + actual);
        }
        Files.move(temp, path(hash), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot store artifact " + hash, e);
      }
    }

    public void abort() {
      try {
        out.close();
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // A leftover temporary file is harmless.
      }
    }
  }
}
