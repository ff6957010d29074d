package dev.shoal.internal.controlplane.blob;

import com.google.protobuf.ByteString;
import dev.shoal.protocol.v1.BlobChunk;
import dev.shoal.protocol.v1.BlobServiceGrpc;
import dev.shoal.protocol.v1.DownloadBlobRequest;
import dev.shoal.protocol.v1.FindBlobRequest;
import dev.shoal.protocol.v1.FindBlobResponse;
import dev.shoal.protocol.v1.UploadBlobResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;

/**
 * The gRPC face of the {@link BlobStore}. Downloads follow the receiver's pace (a chunk is read only when the
 * stream can take it), so a blob of any size costs the control plane a chunk of memory; uploads are paced by gRPC's
 * own flow control, since a chunk is written to disk before the next is requested.
 */
public final class BlobServiceImpl extends BlobServiceGrpc.BlobServiceImplBase {
  static final int CHUNK = 1 << 20;
  private final BlobStore blobs;

  public BlobServiceImpl(BlobStore blobs) {
    this.blobs = blobs;
  }

  @Override
  public void findBlob(FindBlobRequest request, StreamObserver<FindBlobResponse> response) {
    boolean found;
    try {
      found = blobs.find(request.getSha256());
    } catch (IllegalArgumentException e) {
      response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (RuntimeException e) {
      response.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    response.onNext(FindBlobResponse.newBuilder().setFound(found).build());
    response.onCompleted();
  }

  @Override
  public StreamObserver<BlobChunk> uploadBlob(StreamObserver<UploadBlobResponse> response) {
    return new StreamObserver<>() {
      private BlobStore.Upload upload;
      private boolean failed;

      @Override
      public void onNext(BlobChunk chunk) {
        if (failed) {
          return;
        }
        try {
          if (upload == null) {
            upload = blobs.upload(chunk.getSha256(), chunk.getSize());
          }
          upload.write(chunk.getData());
        } catch (RuntimeException e) {
          fail(e);
        }
      }

      @Override
      public void onError(Throwable t) {
        if (upload != null) {
          upload.abort();
        }
      }

      @Override
      public void onCompleted() {
        if (failed) {
          return;
        }
        if (upload == null) {
          response.onError(Status.INVALID_ARGUMENT.withDescription("an upload must send at least one chunk")
              .asRuntimeException());
          return;
        }
        try {
          upload.finish();
        } catch (RuntimeException e) {
          fail(e);
          return;
        }
        response.onNext(UploadBlobResponse.getDefaultInstance());
        response.onCompleted();
      }

      private void fail(RuntimeException e) {
        failed = true;
        if (upload != null) {
          upload.abort();
        }
        response.onError(statusOf(e).withDescription(e.getMessage()).asRuntimeException());
      }
    };
  }

  @Override
  public void downloadBlob(DownloadBlobRequest request, StreamObserver<BlobChunk> response) {
    String hash = request.getSha256();
    InputStream in;
    try {
      in = blobs.open(hash);
    } catch (RuntimeException e) {
      response.onError(statusOf(e).withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    new Sender((ServerCallStreamObserver<BlobChunk>) response, in, hash, request.getRelease()).start();
  }

  private static Status statusOf(RuntimeException e) {
    if (e instanceof StatusRuntimeException s) {
      return s.getStatus();
    }
    if (e instanceof IllegalArgumentException) {
      return Status.INVALID_ARGUMENT;
    }
    if (e instanceof NoSuchElementException) {
      return Status.NOT_FOUND;
    }
    return Status.UNAVAILABLE;
  }

  /** Sends one blob in chunks, each when the stream is ready for it. */
  private final class Sender {
    private final ServerCallStreamObserver<BlobChunk> call;
    private final InputStream in;
    private final String hash;
    private final boolean release;
    private final byte[] buffer = new byte[CHUNK];
    // Guarded by this.
    private boolean first = true;
    private boolean over;

    Sender(ServerCallStreamObserver<BlobChunk> call, InputStream in, String hash, boolean release) {
      this.call = call;
      this.in = in;
      this.hash = hash;
      this.release = release;
    }

    void start() {
      call.setOnCancelHandler(this::cancelled);
      call.setOnReadyHandler(this::drain);
      drain();
    }

    /** Sends chunks while the stream takes them; called again by gRPC whenever it is ready for more. */
    private synchronized void drain() {
      try {
        while (!over && call.isReady()) {
          int n = in.readNBytes(buffer, 0, buffer.length);
          if (n == 0 && !first) {
            finish();
            return;
          }
          BlobChunk.Builder chunk = BlobChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, n));
          if (first) {
            chunk.setSha256(hash);
            first = false;
          }
          call.onNext(chunk.build());
          if (n < buffer.length) {
            finish();
            return;
          }
        }
      } catch (IOException | UncheckedIOException e) {
        over = true;
        close();
        call.onError(Status.UNAVAILABLE.withDescription("cannot read blob " + hash + ": " + e.getMessage())
            .asRuntimeException());
      }
    }

    private void finish() {
      over = true;
      close();
      call.onCompleted();
      if (release) {
        blobs.delivered(hash);
      }
    }

    private synchronized void cancelled() {
      over = true;
      close();
    }

    private void close() {
      try {
        in.close();
      } catch (IOException e) {
        // Nothing more is read from it.
      }
    }
  }
}
