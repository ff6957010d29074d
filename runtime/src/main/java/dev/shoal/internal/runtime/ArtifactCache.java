package dev.shoal.internal.runtime;

import dev.shoal.internal.client.Channels;
import dev.shoal.protocol.v1.ArtifactChunk;
import dev.shoal.protocol.v1.ContainerServiceGrpc;
import dev.shoal.protocol.v1.FetchArtifactRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A directory of classpath artifacts fetched by content hash, for a container that runs on another machine than
 * the control plane (a pod). An artifact already in the directory is not fetched again: its name is its hash, and
 * it was checked against that hash when it was written. A fetch goes to a temporary file that is moved into place
 * only once its content matches, so a container that dies mid-fetch leaves nothing that a later one would trust.
 *
 * <p>Each artifact is asked of the control plane, which answers either with its bytes or, when it keeps artifacts
 * in an object store, with a presigned URL to download them from there, so that a thousand pods starting do not
 * all stream their classpath through the control plane. A download that fails (the URL expired, the store cannot
 * be reached, the content does not match its hash) is said in the container's log and the artifact is asked again,
 * to be streamed by the control plane this time, and so is the rest of the classpath: a bucket that a pod cannot
 * reach (a NetworkPolicy that lets it reach only the control plane) then costs one connection timeout, not one per
 * artifact.
 */
public final class ArtifactCache {
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  /** How long a download may take to connect. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** How long a download may take to answer. */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
  private final Path dir;
  private final Consumer<String> log;
  /** Whether URLs are still asked for: not once a download failed. */
  private boolean urls = true;

  /**
   * @param log where a line about a download that fell back to the control plane goes: the container's log
   */
  public ArtifactCache(Path dir, Consumer<String> log) {
    this.dir = dir;
    this.log = log;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the artifact cache " + dir, e);
    }
  }

  /**
   * Returns the local paths of these artifacts, in order, fetching those not cached yet through the control plane
   * at {@code target} as container {@code containerId}.
   */
  public List<Path> fetch(String target, String containerId, String token, List<String> hashes) {
    for (String hash : hashes) {
      if (!HASH.matcher(hash).matches()) {
        throw new IllegalArgumentException("an artifact hash is 64 lower-case hex digits, was '" + hash + "'");
      }
    }
    List<Path> paths = new ArrayList<>(hashes.size());
    ManagedChannel channel = null;
    HttpClient http = null;
    try {
      for (String hash : hashes) {
        Path path = dir.resolve(hash + ".jar");
        if (!Files.isRegularFile(path)) {
          if (channel == null) {
            channel = Channels.open(target, Channels.containerCredential(containerId, token));
            http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
          }
          fetchOne(channel, http, containerId, token, hash, path);
        }
        paths.add(path);
      }
    } finally {
      if (http != null) {
        http.close();
      }
      if (channel != null) {
        channel.shutdownNow();
        try {
          channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    return paths;
  }

  /**
   * Fetches one artifact: from the URL the control plane gives, if it gives one and it works, else from the control
   * plane itself.
   */
  private void fetchOne(ManagedChannel channel, HttpClient http, String containerId, String token, String hash,
      Path path) {
    FetchArtifactRequest request = FetchArtifactRequest.newBuilder()
        .setContainerId(containerId).setToken(token).setHash(hash).setAcceptsUrl(urls).build();
    Iterator<ArtifactChunk> chunks = ask(channel, request);
    ArtifactChunk first;
    try {
      first = chunks.hasNext() ? chunks.next() : null;
    } catch (StatusRuntimeException e) {
      throw unavailable(hash, e);
    }
    if (first != null && !first.getUrl().isEmpty()) {
      try {
        write(hash, path, out -> download(http, first.getUrl(), out));
        return;
      } catch (RuntimeException e) {
        // The URL's query is its signature: the log says where, never how.
        log.accept("cannot download artifact " + hash + " from " + withoutQuery(first.getUrl()) + " ("
            + e.getMessage() + "); fetching it and the rest of the classpath through the control plane");
        urls = false;
      }
      Iterator<ArtifactChunk> streamed = ask(channel, request.toBuilder().setAcceptsUrl(false).build());
      write(hash, path, out -> copy(hash, streamed, null, out));
      return;
    }
    write(hash, path, out -> copy(hash, chunks, first, out));
  }

  private static Iterator<ArtifactChunk> ask(ManagedChannel channel, FetchArtifactRequest request) {
    try {
      return ContainerServiceGrpc.newBlockingStub(channel).fetchArtifact(request);
    } catch (StatusRuntimeException e) {
      throw unavailable(request.getHash(), e);
    }
  }

  private static IllegalStateException unavailable(String hash, StatusRuntimeException e) {
    return new IllegalStateException("cannot fetch artifact " + hash + " from the control plane: "
        + e.getStatus().getCode() + " " + e.getStatus().getDescription(), e);
  }

  /** Writes the streamed chunks, {@code first} (already read, or null) and the rest, to {@code out}. */
  private static void copy(String hash, Iterator<ArtifactChunk> chunks, ArtifactChunk first, OutputStream out)
      throws IOException {
    boolean complete = false;
    try {
      ArtifactChunk chunk = first;
      while (chunk != null || chunks.hasNext()) {
        if (chunk == null) {
          chunk = chunks.next();
        }
        chunk.getData().writeTo(out);
        complete = chunk.getLast();
        chunk = null;
      }
    } catch (StatusRuntimeException e) {
      throw unavailable(hash, e);
    }
    if (!complete) {
      throw new IllegalStateException("the control plane ended artifact " + hash + " before its last chunk");
    }
  }

  private static void download(HttpClient http, String url, OutputStream out) {
    try {
      HttpResponse<InputStream> response = http.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(ANSWER_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw new IllegalStateException("HTTP " + response.statusCode());
        }
        in.transferTo(out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage() == null ? e.getClass().getSimpleName()
          : e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String withoutQuery(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /** Where an artifact's bytes come from, written to a stream. */
  private interface Source {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes an artifact from {@code source} to a temporary file, checks its hash and moves it into place; throws,
   * leaving nothing, if the source fails or the content does not match.
   */
  private void write(String hash, Path path, Source source) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
    Path temp;
    try {
      temp = Files.createTempFile(dir, "fetch-", ".part");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the artifact cache " + dir, e);
    }
    try {
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
        source.writeTo(out);
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(hash)) {
        throw new IllegalStateException("artifact " + hash + " arrived with content that hashes to " + actual);
      }
      Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write artifact " + hash + " to " + dir + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // A leftover temporary file is never taken for an artifact: its name is not a hash.
      }
    }
  }
}
