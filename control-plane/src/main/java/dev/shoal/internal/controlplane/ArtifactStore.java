package dev.shoal.internal.controlplane;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classpath artifacts that clients upload, stored by the SHA-256 of their content. A container started from
 * them needs nothing of the client's machine. An upload is written to a temporary file, checked against the
 * hash it claims, and moved into place in one step, so a reader never sees half an artifact.
 *
 * <p>Artifacts live in a local directory, because a process container's classpath is made of file paths. With an
 * {@link ArtifactArchive} that directory is only a cache: an upload is in the archive before it is acknowledged,
 * {@link #has} asks the archive about what the cache lacks, and {@link #path} copies it back on demand. A server
 * whose data directory is lost (a pod with no persistent disk) therefore still runs what was deployed to it.
 */
public final class ArtifactStore {
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern STORED_NAME = Pattern.compile("([0-9a-f]{64})\\.jar");
  /**
   * How long a download URL stays valid: long enough for a pod to fetch a large classpath on a slow link, short
   * enough that one found later in a log reads nothing.
   */
  static final java.time.Duration DOWNLOAD_URL_VALIDITY = java.time.Duration.ofMinutes(10);
  private final Path dir;
  private final Optional<ArtifactArchive> archive;
  /** Bytes of artifacts streamed to containers by the control plane itself, rather than fetched by URL. */
  private final java.util.concurrent.atomic.AtomicLong servedBytes = new java.util.concurrent.atomic.AtomicLong();

  /** A store whose local directory is all there is. */
  public ArtifactStore(Path dir) {
    this(dir, Optional.empty());
  }

  /** A store that keeps every artifact in {@code archive} and caches them in {@code cacheDir}. */
  public ArtifactStore(Path cacheDir, ArtifactArchive archive) {
    this(cacheDir, Optional.of(archive));
  }

  private ArtifactStore(Path dir, Optional<ArtifactArchive> archive) {
    this.dir = dir;
    this.archive = archive;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the artifact directory " + dir, e);
    }
  }

  /**
   * A URL from which a container may download the artifact straight from the archive for the next
   * {@link #DOWNLOAD_URL_VALIDITY}, so that its bytes do not pass through the control plane; empty without an
   * archive that issues such URLs.
   */
  public Optional<java.net.URI> downloadUrl(String hash) {
    if (!valid(hash) || archive.isEmpty()) {
      return Optional.empty();
    }
    return archive.get().downloadUrl(hash, DOWNLOAD_URL_VALIDITY);
  }

  /** Counts bytes of artifacts that the control plane streamed to a container. */
  public void served(long bytes) {
    servedBytes.addAndGet(bytes);
  }

  /** How many bytes of artifacts the control plane streamed to containers; for tests and diagnostics. */
  public long servedBytes() {
    return servedBytes.get();
  }

  public boolean has(String hash) {
    if (!valid(hash)) {
      return false;
    }
    if (Files.isRegularFile(cached(hash))) {
      return true;
    }
    if (archive.isEmpty()) {
      return false;
    }
    try {
      return archive.get().contains(hash);
    } catch (RuntimeException e) {
      throw archiveFailure("cannot look up", hash, e);
    }
  }

  /**
   * The artifact's file in the local directory, copied there from the archive first if it is not yet.
   *
   * @throws IllegalArgumentException when {@code hash} is not a SHA-256 in hex
   * @throws NoSuchElementException when the store has no such artifact
   */
  public Path path(String hash) {
    if (!valid(hash)) {
      throw new IllegalArgumentException("an artifact hash is 64 lower-case hex digits, was '" + hash + "'");
    }
    Path file = cached(hash);
    if (Files.isRegularFile(file)) {
      return file;
    }
    if (archive.isEmpty()) {
      throw new NoSuchElementException("artifact " + hash + " is not in " + dir);
    }
    fetch(hash, file);
    return file;
  }

  /**
   * Copies an artifact from the archive into the cache: to a temporary file, hashed as it is written and checked
   * against its name, then moved into place. Two threads that fetch the same artifact at once each copy it and the
   * second move replaces the first with the same bytes, which costs a download but never shows a reader a partial
   * file.
   */
  private void fetch(String hash, Path file) {
    Path temp;
    try {
      temp = Files.createTempFile(dir, "fetch-", ".part");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fetch artifact " + hash + " into " + dir, e);
    }
    try {
      MessageDigest digest = sha256();
      try (InputStream in = new DigestInputStream(archive.get().open(hash), digest)) {
        Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
      } catch (NoSuchElementException e) {
        throw new NoSuchElementException("artifact " + hash + " is not in " + archive.get().describe());
      } catch (IOException | RuntimeException e) {
        throw archiveFailure("cannot fetch", hash, e);
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(hash)) {
        throw new IllegalStateException("artifact " + hash + " in " + archive.get().describe()
            + " is corrupt: its content hashes to " + actual);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fetch artifact " + hash + " into " + dir, e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // A leftover temporary file is harmless.
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  private IllegalStateException archiveFailure(String what, String hash, Exception e) {
    return new IllegalStateException(what + " artifact " + hash + " in " + archive.orElseThrow().describe() + ": "
        + e.getMessage(), e);
  }

  private Path cached(String hash) {
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
      this.digest = sha256();
      try {
        this.temp = Files.createTempFile(dir, "upload-", ".part");
        this.out = Files.newOutputStream(temp);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot store an upload in " + dir, e);
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

    /**
     * Checks the content against its hash and publishes it: into the archive first, when there is one, so that
     * an acknowledged upload survives the loss of this machine's directory.
     */
    public void finish() {
      try {
        out.close();
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(hash)) {
          Files.deleteIfExists(temp);
          throw new IllegalArgumentException("artifact upload claimed hash " + hash + " but its content hashes to "
              + actual);
        }
        if (archive.isPresent()) {
          try {
            archive.get().put(hash, temp);
          } catch (RuntimeException e) {
            Files.deleteIfExists(temp);
            throw archiveFailure("cannot store", hash, e);
          }
        }
        Files.move(temp, cached(hash), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
