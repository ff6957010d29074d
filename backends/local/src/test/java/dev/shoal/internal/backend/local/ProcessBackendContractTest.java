package dev.shoal.internal.backend.local;

import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.backend.ContainerBackendContract;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The process backend against the contract every backend keeps, with real container JVMs. */
class ProcessBackendContractTest extends ContainerBackendContract {
  /** Accepts the containers' connections and never answers, so that they wait, starting, until they end. */
  private ServerSocket silent;
  private final List<Socket> held = new ArrayList<>();

  @BeforeEach
  void listenSilently() throws IOException {
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> {
      try {
        while (true) {
          Socket s = silent.accept();
          synchronized (held) {
            held.add(s);
          }
        }
      } catch (IOException e) {
        // Closed by the test.
      }
    });
  }

  @AfterEach
  void stopListening() throws IOException {
    silent.close();
    synchronized (held) {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Override
  protected ContainerBackend newWaitingBackend(int capacity) {
    return new ProcessBackend("127.0.0.1:" + silent.getLocalPort(), capacity);
  }

  @Override
  protected ContainerBackend newFailingBackend(int capacity) throws IOException {
    int nothingListens;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nothingListens = closed.getLocalPort();
    }
    return new ProcessBackend("127.0.0.1:" + nothingListens, capacity);
  }

  @Override
  protected void endFromOutside(ContainerHandle handle, String containerId) {
    ProcessHandle.of(handle.pid()).orElseThrow().destroyForcibly(); // kill -9, as an operator would
  }
}
