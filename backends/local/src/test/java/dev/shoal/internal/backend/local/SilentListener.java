package dev.shoal.internal.backend.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port that accepts container connections and never answers, so that the containers wait, starting,
 * until they are ended: what a backend test needs of a control plane when it tests only how containers end.
 */
final class SilentListener implements AutoCloseable {
  private final ServerSocket socket;
  private final List<Socket> held = new ArrayList<>();

  SilentListener() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> {
      try {
        while (true) {
          Socket s = socket.accept();
          synchronized (held) {
            held.add(s);
          }
        }
      } catch (IOException e) {
        // Closed by the test.
      }
    });
  }

  /** The address a container dials, as a backend takes it. */
  String target() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    synchronized (held) {
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
