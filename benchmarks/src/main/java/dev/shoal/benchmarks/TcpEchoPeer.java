package dev.shoal.benchmarks;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The floor of cross-process latency: a few bytes to an echo server in another JVM and back, over loopback TCP,
 * with Nagle off. A process container's round trip can be no faster; the ratio says what gRPC, the control plane
 * and the codec add on top.
 */
public final class TcpEchoPeer {
  private static final int MESSAGE_BYTES = 4;

  private TcpEchoPeer() {}

  /** One connection, one message at a time; the value is p50 in ms, the details hold the rest. */
  public static Figure roundTrips(Sizes sizes) throws Exception {
    try (ChildJvm server = ChildJvm.start(TcpEchoPeer.class, List.of(), List.of())) {
      int port = Integer.parseInt(server.awaitLine("@PORT ", Duration.ofSeconds(30)).strip());
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.setTcpNoDelay(true);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        DataInputStream in = new DataInputStream(socket.getInputStream());
        for (int i = 0; i < sizes.warmCalls(); i++) {
          roundTrip(out, in, i);
        }
        long[] nanos = new long[sizes.roundTrips()];
        for (int i = 0; i < nanos.length; i++) {
          long start = System.nanoTime();
          roundTrip(out, in, i);
          nanos[i] = System.nanoTime() - start;
        }
        Latencies latencies = new Latencies(nanos);
        Map<String, Object> details = new LinkedHashMap<>(latencies.summary());
        details.put("messageBytes", MESSAGE_BYTES);
        return Figure.of(latencies.percentileMillis(50), details);
      }
    }
  }

  private static void roundTrip(DataOutputStream out, DataInputStream in, int x) throws IOException {
    out.writeInt(x);
    out.flush();
    if (in.readInt() != x) {
      throw new IllegalStateException("the echo server answered with another value than it was sent");
    }
  }

  /** The echo server's JVM: prints its port, then echoes 4-byte messages on one connection until it closes. */
  public static void main(String[] args) throws IOException {
    ChildJvm.Child.exitWithParent();
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      System.out.println(ChildJvm.Child.PROTOCOL_PREFIX + "PORT " + listener.getLocalPort());
      System.out.flush();
      try (Socket socket = listener.accept()) {
        socket.setTcpNoDelay(true);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        while (true) {
          int x;
          try {
            x = in.readInt();
          } catch (EOFException e) {
            return;
          }
          out.writeInt(x);
          out.flush();
        }
      }
    }
  }
}
