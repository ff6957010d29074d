package dev.shoal.internal.client.payload;

import com.google.protobuf.ByteString;
import dev.shoal.internal.codec.EncodedValue;
import dev.shoal.protocol.v1.BlobChunk;
import dev.shoal.protocol.v1.BlobServiceGrpc;
import dev.shoal.protocol.v1.DownloadBlobRequest;
import dev.shoal.protocol.v1.FindBlobRequest;
import dev.shoal.protocol.v1.UploadBlobResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Moves blobs between a file here and the control plane's blob store, a chunk at a time at the pace the stream
 * takes them, so that a blob of any size costs the heap a chunk or two. Clients and containers use it alike.
 */
public final class BlobTransfer {
  private static final int CHUNK = 1 << 20;
  private final BlobServiceGrpc.BlobServiceBlockingStub blocking;
  private final BlobServiceGrpc.BlobServiceStub async;

  public BlobTransfer(Channel channel) {
    this.blocking = BlobServiceGrpc.newBlockingStub(channel);
    this.async = BlobServiceGrpc.newStub(channel);
  }

  /**
   * Makes the store hold the spilled value: uploads it unless the store has the same content already, which a
   * value sent before (the same argument to many calls, say) often does.
   *
   * @throws StatusRuntimeException when the control plane refuses or cannot be reached
   */
  public void upload(EncodedValue.Spilled value) {
    if (blocking.findBlob(FindBlobRequest.newBuilder().setSha256(value.sha256()).build()).getFound()) {
      return;
    }
    Uploader uploader = new Uploader();
    async.uploadBlob(uploader);
    uploader.send(value);
  }

  /**
   * Downloads a blob into a new file in {@code dir}, checks it against its hash and returns it; the caller deletes
   * it.
   *
   * @param release whether this is the one download of a result that is not kept, after which the control plane
   *     need not keep the blob for it
   * @throws StatusRuntimeException when the control plane refuses or cannot be reached
   */
  public Path download(String sha256, boolean release, Path dir) {
    Path file;
    try {
      file = Files.createTempFile(dir, "shoal-payload-", ".bin");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a file for a large payload in " + dir, e);
    }
    boolean complete = false;
    try (OutputStream out = Files.newOutputStream(file)) {
      MessageDigest digest = sha256();
      Iterator<BlobChunk> chunks = blocking.downloadBlob(
          DownloadBlobRequest.newBuilder().setSha256(sha256).setRelease(release).build());
      while (chunks.hasNext()) {
        ByteString data = chunks.next().getData();
        data.writeTo(out);
        data.asReadOnlyByteBufferList().forEach(digest::update);
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(sha256)) {
        throw Status.DATA_LOSS.withDescription("blob " + sha256 + " arrived with content that hashes to " + actual)
            .asRuntimeException();
      }
      complete = true;
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a large payload to " + file, e);
    } finally {
      if (!complete) {
        delete(file);
      }
    }
  }

  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover temporary file is harmless.
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /**
   * One upload: the calling thread reads the file and sends a chunk whenever the stream is ready for one, waiting
   * (on a lock, so that a virtual thread does not pin its carrier) while it is not.
   */
  private static final class Uploader implements ClientResponseObserver<BlobChunk, UploadBlobResponse> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private ClientCallStreamObserver<BlobChunk> requests;

    @Override
    public void beforeStart(ClientCallStreamObserver<BlobChunk> requestStream) {
      requests = requestStream;
      requestStream.setOnReadyHandler(this::signal);
    }

    private void signal() {
      lock.lock();
      try {
        ready.signalAll();
      } finally {
        lock.unlock();
      }
    }

    void send(EncodedValue.Spilled value) {
      try (InputStream in = Files.newInputStream(value.file())) {
        byte[] buffer = new byte[CHUNK];
        boolean first = true;
        while (true) {
          int n = in.readNBytes(buffer, 0, buffer.length);
          if (n == 0 && !first) {
            break;
          }
          awaitReady();
          if (done.isDone()) {
            break;
          }
          BlobChunk.Builder chunk = BlobChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, n));
          if (first) {
            chunk.setSha256(value.sha256()).setSize(value.size());
            first = false;
          }
          requests.onNext(chunk.build());
          if (n < buffer.length) {
            break;
          }
        }
        if (!done.isDone()) {
          requests.onCompleted();
        }
      } catch (IOException e) {
        requests.cancel("cannot read the payload to upload", e);
        throw new UncheckedIOException("cannot read a large payload from " + value.file(), e);
      } catch (RuntimeException e) {
        requests.cancel("the upload failed", e);
        throw e;
      }
      try {
        done.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        requests.cancel("interrupted", e);
        throw Status.CANCELLED.withDescription("interrupted while uploading a large payload").asRuntimeException();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof StatusRuntimeException s ? s
            : Status.fromThrowable(e.getCause()).asRuntimeException();
      }
    }

    /** Waits until the stream takes another chunk, or the upload has ended early. */
    private void awaitReady() {
      lock.lock();
      try {
        while (!requests.isReady() && !done.isDone()) {
          // The timeout only guards against a readiness signal lost to a race; the signal normally ends the wait.
          ready.await(100, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        requests.cancel("interrupted", e);
        throw Status.CANCELLED.withDescription("interrupted while uploading a large payload").asRuntimeException();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void onNext(UploadBlobResponse response) {}

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
      signal();
    }

    @Override
    public void onCompleted() {
      done.complete(null);
      signal();
    }
  }
}
