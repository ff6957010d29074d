package dev.shoal.it;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls any method of a service with raw bytes for messages, as a hostile client would: whatever the bytes are,
 * whatever order a stream's messages come in, with whatever {@code authorization} header.
 */
public final class RawCalls {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private RawCalls() {}

  /** How a raw call ended: its status, how many messages came back, and whether this side cancelled it. */
  public record Outcome(Status status, int responses, boolean cancelledByCaller) {}

  /**
   * Calls {@code method} with {@code messages} (one whole request for a unary method; any number for a stream),
   * then half-closes, or cancels when {@code cancel}; waits at most {@code deadline} for the server to answer.
   */
  public static Outcome call(Channel channel, MethodDescriptor<?, ?> method, String authorization,
      List<byte[]> messages, boolean cancel, Duration deadline) {
    MethodDescriptor<byte[], byte[]> raw = method.toBuilder(RAW, RAW).build();
    ClientCall<byte[], byte[]> call = channel.newCall(raw,
        CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
    CompletableFuture<Status> closed = new CompletableFuture<>();
    AtomicInteger responses = new AtomicInteger();
    Metadata headers = new Metadata();
    if (authorization != null) {
      headers.put(AUTHORIZATION, authorization);
    }
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(byte[] message) {
        responses.incrementAndGet();
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, headers);
    call.request(Integer.MAX_VALUE);
    for (byte[] message : messages) {
      call.sendMessage(message);
    }
    if (cancel) {
      call.cancel("the fuzzer cancels", null);
    } else {
      call.halfClose();
    }
    try {
      // The deadline ends the call on this side; the margin only covers the client's own bookkeeping.
      Status status = closed.get(deadline.toMillis() + 30_000, TimeUnit.MILLISECONDS);
      return new Outcome(status, responses.get(), cancel);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(method.getFullMethodName() + " did not end within its deadline", e);
    }
  }
}
