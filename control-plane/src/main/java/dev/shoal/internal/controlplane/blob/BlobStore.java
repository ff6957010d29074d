package dev.shoal.internal.controlplane.blob;

import dev.shoal.internal.controlplane.ArtifactArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The control plane's blob store: arguments and results too large to travel inside messages, named by the SHA-256
 * of their content. Senders upload a blob before the payload that refers to it; receivers download it. The control
 * plane only routes the references, and deletes each blob by the rule of {@link BlobLedger} once nothing needs it.
 *
 * <p>Blobs live in a local directory (the embedded engine's temporary one, or a server's data directory), or, when
 * a server keeps its volumes and artifacts in an S3-compatible bucket, in that bucket through an {@link
 * ArtifactArchive}, with the local directory holding only uploads in progress. An upload is written to a temporary
 * file, checked against the size and hash it announced, and only then published, so no reader sees half a blob.
 */
public final class BlobStore implements AutoCloseable {
  /** The most one blob may hold: far beyond any payload's limit, it only keeps a client from filling the disk. */
  public static final long MAX_BLOB_BYTES = 1L << 40;
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  private static final String SUFFIX = ".blob";
  private static final String TEMPORARY_PREFIX = "shoal-blobs-";
  private static final Pattern TEMPORARY_NAME = Pattern.compile("shoal-blobs-([0-9]{1,19})-[0-9]+");
  private static final System.Logger LOG = System.getLogger(BlobStore.class.getName());

  private final Path dir;
  private final Optional<ArtifactArchive> archive;
  private final boolean temporary;
  private final BlobLedger ledger;

  private BlobStore(Path dir, Optional<ArtifactArchive> archive, boolean temporary, Clock clock,
      Duration retention) {
    this.dir = dir;
    this.archive = archive;
    this.temporary = temporary;
    this.ledger = new BlobLedger(clock, retention.toMillis());
    try {
      Files.createDirectories(dir);
      // Uploads that were in progress when the last process ended will never finish.
      try (Stream<Path> leftovers = Files.list(dir)) {
        for (Path p : leftovers.filter(f -> f.getFileName().toString().endsWith(".part")).toList()) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the blob directory " + dir, e);
    }
    // What the store holds from before is pinned like a new upload: the store, or a payload about to be
    // submitted again, may still need it, and what neither does goes with a later sweep.
    storedHashes().forEach(ledger::stored);
  }

  /** A store in a new temporary directory that {@link #close()} deletes: the embedded engine's. */
  public static BlobStore temporary(Clock clock, Duration retention) {
    return temporary(Path.of(System.getProperty("java.io.tmpdir")), clock, retention);
  }

  /**
   * A store in a new directory under {@code parent}, named with this process's id. A JVM killed outright never
   * deletes its directory, and its blobs may be gigabytes, so the directories of processes that are gone are
   * deleted here first.
   */
  static BlobStore temporary(Path parent, Clock clock, Duration retention) {
    deleteDirectoriesOfDeadProcesses(parent);
    try {
      Path dir = Files.createTempDirectory(parent, TEMPORARY_PREFIX + ProcessHandle.current().pid() + "-");
      return new BlobStore(dir, Optional.empty(), true, clock, retention);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for blobs in " + parent, e);
    }
  }

  private static void deleteDirectoriesOfDeadProcesses(Path parent) {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, TEMPORARY_PREFIX + "*")) {
      for (Path dir : dirs) {
        Matcher m = TEMPORARY_NAME.matcher(dir.getFileName().toString());
        if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
          deleteTree(dir);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "cannot look for the blob directories of ended processes in " + parent, e);
    }
  }

  /** A store in {@code dir}, which it keeps: a server's data directory. */
  public static BlobStore inDirectory(Path dir, Clock clock, Duration retention) {
    return new BlobStore(dir, Optional.empty(), false, clock, retention);
  }

  /** A store in {@code archive}, with uploads in progress in {@code uploadDir}: a server that keeps data in S3. */
  public static BlobStore archived(Path uploadDir, ArtifactArchive archive, Clock clock, Duration retention) {
    return new BlobStore(uploadDir, Optional.of(archive), false, clock, retention);
  }

  /** Whether {@code hash} is a SHA-256 in lower-case hex, as every blob name is. */
  public static boolean isHash(String hash) {
    return hash != null && HASH.matcher(hash).matches();
  }

  /** Whether the store has the blob; a yes pins it for the payload that is about to refer to it. */
  public boolean find(String hash) {
    requireHash(hash);
    if (ledger.pin(hash)) {
      return true;
    }
    if (!storedNow(hash)) {
      return false;
    }
    ledger.stored(hash);
    return true;
  }

  /** Holds the blob for an input in flight; false when the store does not have it. */
  public boolean holdInput(String hash) {
    if (!isHash(hash)) {
      return false;
    }
    if (ledger.holdInput(hash)) {
      return true;
    }
    return find(hash) && ledger.holdInput(hash);
  }

  public void releaseInput(String hash) {
    ledger.releaseInput(hash);
  }

  /** Whether the store has the blob, pinning it as {@link #find} does; false for a malformed name. */
  public boolean has(String hash) {
    return isHash(hash) && find(hash);
  }

  /** Keeps a result's blob until its caller has downloaded it, or at most the retention period. */
  public void delivering(String hash) {
    ledger.delivering(hash);
  }

  /** The caller of a result that is not kept has downloaded its blob. */
  public void delivered(String hash) {
    ledger.delivered(hash);
  }

  /**
   * The blob's content, to read once and close.
   *
   * @throws NoSuchElementException when the store has no such blob
   */
  public InputStream open(String hash) {
    requireHash(hash);
    if (archive.isPresent()) {
      try {
        return archive.get().open(hash);
      } catch (NoSuchElementException e) {
        throw missing(hash);
      } catch (RuntimeException e) {
        throw new IllegalStateException("cannot read blob " + hash + " from " + archive.get().describe() + ": "
            + e.getMessage(), e);
      }
    }
    try {
      return Files.newInputStream(file(hash));
    } catch (NoSuchFileException e) {
      throw missing(hash);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read blob " + hash, e);
    }
  }

  private NoSuchElementException missing(String hash) {
    return new NoSuchElementException("blob " + hash + " is not in " + describe()
        + "; it was never uploaded, or was deleted once nothing needed it");
  }

  /** Receives one upload in chunks. */
  public Upload upload(String hash, long size) {
    return new Upload(hash, size);
  }

  /**
   * Deletes every blob that nothing holds any more, given the blobs that the state store still needs, and returns
   * how many it deleted. Each is checked again just before it goes, under the lock that every hold takes.
   */
  public int sweep(Set<String> needed) {
    int deleted = 0;
    for (String hash : ledger.unneeded(needed)) {
      synchronized (ledger) {
        if (!ledger.forgetIfUnneeded(hash, needed)) {
          continue;
        }
        try {
          delete(hash);
          deleted++;
        } catch (IOException | RuntimeException e) {
          ledger.stored(hash);
          LOG.log(System.Logger.Level.WARNING, "cannot delete blob " + hash + " from " + describe()
              + "; the next sweep tries again", e);
        }
      }
    }
    return deleted;
  }

  /** How many blobs the store holds as far as it knows; for tests and diagnostics. */
  public int count() {
    return storedHashes().size();
  }

  public String describe() {
    return archive.map(ArtifactArchive::describe).orElse(dir.toString());
  }

  /** Deletes the directory of a temporary store with everything in it; a lasting store keeps its blobs. */
  @Override
  public void close() {
    if (!temporary) {
      return;
    }
    try {
      deleteTree(dir);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot delete the blob directory " + dir, e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private boolean storedNow(String hash) {
    if (archive.isPresent()) {
      try {
        return archive.get().contains(hash);
      } catch (RuntimeException e) {
        throw new IllegalStateException("cannot look up blob " + hash + " in " + archive.get().describe() + ": "
            + e.getMessage(), e);
      }
    }
    return Files.isRegularFile(file(hash));
  }

  private void delete(String hash) throws IOException {
    if (archive.isPresent()) {
      archive.get().delete(hash);
    } else {
      Files.deleteIfExists(file(hash));
    }
  }

  private List<String> storedHashes() {
    if (archive.isPresent()) {
      return archive.get().hashes();
    }
    List<String> hashes = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        String hash = name.substring(0, name.length() - SUFFIX.length());
        if (isHash(hash)) {
          hashes.add(hash);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the blob directory " + dir, e);
    }
    return hashes;
  }

  private Path file(String hash) {
    return dir.resolve(hash + SUFFIX);
  }

  private static void requireHash(String hash) {
    if (!isHash(hash)) {
      throw new IllegalArgumentException("a blob is named by its SHA-256 in 64 lower-case hex digits, was '"
          + (hash == null ? "" : hash.length() > 80 ? hash.substring(0, 80) + "…" : hash) + "'");
    }
  }

  /** An upload in progress: written to a temporary file, checked, then published. */
  public final class Upload {
    private final String hash;
    private final long size;
    private final Path temp;
    private final OutputStream out;
    private final MessageDigest digest;
    private long received;
    private boolean ended;

    private Upload(String hash, long size) {
      requireHash(hash);
      if (size < 1 || size > MAX_BLOB_BYTES) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "a blob holds 1..%,d bytes; the upload of %s announced %,d", MAX_BLOB_BYTES, hash, size));
      }
      this.hash = hash;
      this.size = size;
      try {
        this.digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("this JVM has no SHA-256", e);
      }
      ledger.uploadStarted(hash);
      try {
        this.temp = Files.createTempFile(dir, "upload-", ".part");
        this.out = Files.newOutputStream(temp);
      } catch (IOException e) {
        ledger.uploadEnded(hash, false);
        throw new UncheckedIOException("cannot store an upload in " + dir, e);
      }
    }

    /** Appends a chunk; refuses one that would take the blob past the size it announced. */
    public void write(com.google.protobuf.ByteString chunk) {
      if (received + chunk.size() > size) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "the upload of blob %s announced %,d bytes and sent more", hash, size));
      }
      try {
        chunk.writeTo(out);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write blob " + hash + " to " + temp, e);
      }
      for (java.nio.ByteBuffer b : chunk.asReadOnlyByteBufferList()) {
        digest.update(b);
      }
      received += chunk.size();
    }

    /** Checks the content against its size and hash, and publishes it. */
    public void finish() {
      boolean stored = false;
      try {
        out.close();
        if (received != size) {
          throw new IllegalArgumentException(String.format(Locale.ROOT,
              "the upload of blob %s announced %,d bytes and sent %,d", hash, size, received));
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(hash)) {
          throw new IllegalArgumentException("the upload claimed blob " + hash + " but its content hashes to "
              + actual);
        }
        if (archive.isPresent()) {
          try {
            archive.get().put(hash, temp);
          } catch (RuntimeException e) {
            throw new IllegalStateException("cannot store blob " + hash + " in " + archive.get().describe() + ": "
                + e.getMessage(), e);
          }
          Files.deleteIfExists(temp);
        } else {
          Files.move(temp, file(hash), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        stored = true;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot store blob " + hash, e);
      } finally {
        end(stored);
      }
    }

    /** Drops what was received: the sender went away, or sent something wrong. */
    public void abort() {
      try {
        out.close();
      } catch (IOException e) {
        // The file is deleted below anyway.
      }
      end(false);
    }

    private void end(boolean stored) {
      if (ended) {
        return;
      }
      ended = true;
      if (!stored) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // A leftover temporary file is harmless; the next start deletes it.
        }
      }
      ledger.uploadEnded(hash, stored);
    }
  }
}
