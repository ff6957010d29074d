package dev.shoal.internal.runtime;

import dev.shoal.internal.client.Channels;
import dev.shoal.protocol.v1.ArtifactChunk;
import dev.shoal.protocol.v1.ContainerServiceGrpc;
import dev.shoal.protocol.v1.FetchArtifactRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A directory of classpath artifacts fetched from the control plane by content hash, for a container that runs
 * on another machine than the control plane (a pod). An artifact already in the directory is not fetched again:
 * its name is its hash, and it was checked against that hash when it was written. A fetch goes to a temporary
 * file that is moved into place only once its content matches, so a container that dies mid-fetch leaves
 * nothing that a later one would trust.
 */
public final class ArtifactCache {
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  private final Path dir;

  public ArtifactCache(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the artifact cache " + dir, e);
    }
  }

  /**
   * Returns the local paths of these artifacts, in order, fetching those not cached yet from the control plane
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
    try {
      for (String hash : hashes) {
        Path path = dir.resolve(hash + ".jar");
        if (!Files.isRegularFile(path)) {
          if (channel == null) {
            channel = Channels.open(target, Channels.containerCredential(containerId, token));
          }
          download(channel, containerId, token, hash, path);
        }
        paths.add(path);
      }
    } finally {
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

  private void download(ManagedChannel channel, String containerId, String token, String hash, Path path) {
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
      boolean complete = false;
      try (OutputStream out = Files.newOutputStream(temp)) {
        Iterator<ArtifactChunk> chunks = ContainerServiceGrpc.newBlockingStub(channel)
            .fetchArtifact(FetchArtifactRequest.newBuilder()
                .setContainerId(containerId).setToken(token).setHash(hash).build());
        while (chunks.hasNext()) {
          ArtifactChunk chunk = chunks.next();
          byte[] data = chunk.getData().toByteArray();
          digest.update(data);
          out.write(data);
          complete = chunk.getLast();
        }
      } catch (StatusRuntimeException e) {
        throw new IllegalStateException("cannot fetch artifact " + hash + " from the control plane: "
            + e.getStatus().getCode() + " " + e.getStatus().getDescription(), e);
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!complete) {
        throw new IllegalStateException("the control plane ended artifact " + hash + " before its last chunk");
      }
      if (!actual.equals(hash)) {
        throw new IllegalStateException("artifact " + hash + " arrived with content that hashes to " + actual);
      }
      Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write artifact " + hash + " to " + dir, e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // A leftover temporary file is never taken for an artifact: its name is not a hash.
      }
    }
  }
}
