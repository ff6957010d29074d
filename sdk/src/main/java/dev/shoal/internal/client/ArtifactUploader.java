package dev.shoal.internal.client;

import com.google.protobuf.ByteString;
import dev.shoal.protocol.v1.ArtifactChunk;
import dev.shoal.protocol.v1.ClientServiceGrpc;
import dev.shoal.protocol.v1.MissingArtifactsRequest;
import dev.shoal.protocol.v1.UploadArtifactResponse;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Uploads a client's classpath to a server, content-addressed, so that containers on another machine can load
 * the app. A jar is hashed as it is; a class directory is first packed into a jar whose bytes depend only on
 * its files (sorted entries, fixed times), so the same classes always give the same hash. The server is asked
 * which hashes it lacks and only those are sent.
 */
public final class ArtifactUploader {
  private static final int CHUNK = 1 << 20;
  private static final FileTime FIXED_TIME = FileTime.fromMillis(315_532_800_000L); // 1980-01-01, zip's epoch
  private static final Map<String, Artifact> CACHE = new ConcurrentHashMap<>();
  private static final AtomicInteger UPLOADS = new AtomicInteger();

  private ArtifactUploader() {}

  /** How many artifacts this JVM has uploaded; for tests. */
  public static int uploads() {
    return UPLOADS.get();
  }

  /** Uploads what the server lacks and returns the classpath as {@code sha256:HEX} entries, in order. */
  public static List<String> upload(EngineConnection connection, List<String> classpath) {
    Map<String, Artifact> byHash = new LinkedHashMap<>();
    List<String> entries = new ArrayList<>();
    for (String entry : classpath) {
      Path path = Path.of(entry);
      if (!Files.exists(path)) {
        continue;
      }
      Artifact a = artifact(path);
      byHash.putIfAbsent(a.hash(), a);
      entries.add("sha256:" + a.hash());
    }
    List<String> missing = connection.blocking().missingArtifacts(
        MissingArtifactsRequest.newBuilder().addAllHashes(byHash.keySet()).build()).getHashesList();
    for (String hash : missing) {
      send(connection, byHash.get(hash));
      UPLOADS.incrementAndGet();
    }
    return entries;
  }

  private static Artifact artifact(Path path) {
    String key;
    try {
      key = path.toAbsolutePath() + "@" + Files.getLastModifiedTime(path).toMillis();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classpath entry " + path, e);
    }
    // Directories change while a developer works, so only jars are cached.
    if (Files.isDirectory(path)) {
      byte[] jar = pack(path);
      return new Artifact(sha256(jar), jar, null);
    }
    return CACHE.computeIfAbsent(key, k -> new Artifact(hashFile(path), null, path));
  }

  /**
   * A class directory as a jar's bytes: its files in name order, each with the same fixed time, so that the same
   * classes always make the same jar and the same hash. Symbolic links out of the directory are left out, and
   * each is named on stderr ({@link FileTrees#regularFiles}): a server must never be sent a file from outside
   * the classpath.
   */
  public static byte[] pack(Path dir) {
    return pack(dir, line -> System.err.println("shoal: packing class directory " + dir + ": " + line));
  }

  /** {@link #pack(Path)}, telling {@code skipped} of each file left out. */
  public static byte[] pack(Path dir, Consumer<String> skipped) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (FileTrees.TreeFile file : FileTrees.regularFiles(dir, skipped)) {
        ZipEntry entry = new ZipEntry(file.path());
        entry.setLastModifiedTime(FIXED_TIME);
        zip.putNextEntry(entry);
        try (InputStream in = file.open()) {
          in.transferTo(zip);
        }
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pack class directory " + dir, e);
    }
    return bytes.toByteArray();
  }

  private static String hashFile(Path file) {
    MessageDigest digest = digest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classpath entry " + file, e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  private static void send(EngineConnection connection, Artifact artifact) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<ArtifactChunk> upload = ClientServiceGrpc.newStub(connection.channel()).uploadArtifact(
        new StreamObserver<UploadArtifactResponse>() {
          @Override
          public void onNext(UploadArtifactResponse value) {}

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });
    try (InputStream in = artifact.open()) {
      byte[] buffer = new byte[CHUNK];
      boolean first = true;
      while (true) {
        int n = in.readNBytes(buffer, 0, CHUNK);
        boolean last = n < CHUNK;
        ArtifactChunk.Builder chunk = ArtifactChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, n))
            .setLast(last);
        if (first) {
          chunk.setHash(artifact.hash());
          first = false;
        }
        upload.onNext(chunk.build());
        if (last) {
          break;
        }
      }
      upload.onCompleted();
    } catch (IOException e) {
      upload.onError(e);
      throw new UncheckedIOException("cannot read artifact " + artifact, e);
    }
    done.join();
  }

  /** A classpath entry's content: bytes of a packed directory, or a jar on disk. */
  private record Artifact(String hash, byte[] packed, Path file) {
    InputStream open() throws IOException {
      return packed != null ? new java.io.ByteArrayInputStream(packed) : Files.newInputStream(file);
    }
  }
}
