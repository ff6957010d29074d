package dev.shoal.benchmarks;

import dev.shoal.internal.client.Channels;
import dev.shoal.internal.client.OutageRetry;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Not a measurement of speed: how a call ends when it is made the moment the server's end of its connection
 * closed, as after a {@code kill -9} of the server, before the client has read that end. A gRPC server sits behind
 * a TCP proxy in this JVM; each round makes one call, closes the proxy's connections (FIN, or RST with {@code rst})
 * and its port, makes the next call at once, counts how it ended, and opens the port again.
 *
 * <pre>{@code
 * java -cp "$(cat benchmarks/target/runtime-classpath.txt):benchmarks/target/classes" \
 *   dev.shoal.benchmarks.ClosedConnectionProbe shoal 300      # or: grpc 300, shoal 300 rst
 * }</pre>
 *
 * <p>{@code grpc} uses gRPC's own channel; {@code shoal} a channel from {@code Channels.open}, and says of each
 * failure whether {@code OutageRetry.neverSent} proves it never reached the server.
 */
public final class ClosedConnectionProbe {
  private static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("probe/Echo")
      .setRequestMarshaller(new Bytes())
      .setResponseMarshaller(new Bytes())
      .build();

  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final boolean reset;
  private volatile ServerSocket listener;

  private ClosedConnectionProbe(boolean reset) {
    this.reset = reset;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || !List.of("grpc", "shoal").contains(args[0])) {
      throw new IllegalArgumentException("usage: ClosedConnectionProbe grpc|shoal ROUNDS [rst]");
    }
    boolean shoal = args[0].equals("shoal");
    int rounds = Integer.parseInt(args[1]);
    ClosedConnectionProbe probe = new ClosedConnectionProbe(args.length > 2 && args[2].equals("rst"));
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerServiceDefinition.builder("probe")
            .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
              response.onNext(request);
              response.onCompleted();
            }))
            .build())
        .build()
        .start();
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    probe.listen(port, server.getPort());
    ManagedChannel channel = shoal ? Channels.open("127.0.0.1:" + port)
        : NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    Map<String, Integer> endings = new TreeMap<>();
    for (int i = 0; i < rounds; i++) {
      ClientCalls.blockingUnaryCall(channel.newCall(ECHO, CallOptions.DEFAULT.withWaitForReady()), new byte[] {1});
      probe.closeConnections();
      endings.merge(ending(channel, shoal), 1, Integer::sum);
      probe.listen(port, server.getPort());
    }
    endings.forEach((ending, count) -> System.out.println(count + "\t" + ending));
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    System.exit(0);
  }

  private static String ending(ManagedChannel channel, boolean shoal) {
    try {
      ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, new byte[] {2});
      return "OK";
    } catch (StatusRuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return e.getStatus().getCode() + " " + e.getStatus().getDescription() + " / " + root.getClass().getSimpleName()
          + (shoal ? " / neverSent=" + OutageRetry.neverSent(e) : "");
    }
  }

  private void closeConnections() throws IOException {
    listener.close();
    for (Socket socket : open) {
      try {
        if (reset) {
          socket.setSoLinger(true, 0);
        }
        socket.close();
      } catch (IOException e) {
        // Closed already by its pump.
      }
    }
    open.clear();
  }

  /** Opens the proxy's port again; its closed connections may hold it for a moment. */
  private void listen(int port, int target) throws IOException, InterruptedException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    for (int attempt = 0; ; attempt++) {
      try {
        socket.bind(new InetSocketAddress("127.0.0.1", port));
        break;
      } catch (BindException e) {
        if (attempt == 200) {
          throw e;
        }
        Thread.sleep(10);
      }
    }
    listener = socket;
    Thread.ofPlatform().daemon().start(() -> {
      try {
        while (true) {
          Socket client = socket.accept();
          Socket upstream = new Socket("127.0.0.1", target);
          open.add(client);
          open.add(upstream);
          pump(client, upstream);
          pump(upstream, client);
        }
      } catch (IOException e) {
        // The port was closed for the next round.
      }
    });
  }

  private static void pump(Socket from, Socket to) {
    Thread.ofPlatform().daemon().start(() -> {
      try {
        from.getInputStream().transferTo(to.getOutputStream());
      } catch (IOException e) {
        // One side closed.
      }
      try {
        to.close();
      } catch (IOException e) {
        // Closed already.
      }
    });
  }

  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
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
  }
}
