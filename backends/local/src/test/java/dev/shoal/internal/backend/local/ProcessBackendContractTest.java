package dev.shoal.internal.backend.local;

import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.backend.ContainerBackendContract;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The process backend against the contract every backend keeps, with real container JVMs. */
class ProcessBackendContractTest extends ContainerBackendContract {
  private SilentListener silent;

  @BeforeEach
  void listenSilently() throws IOException {
    silent = new SilentListener();
  }

  @AfterEach
  void stopListening() throws IOException {
    silent.close();
  }

  @Override
  protected ContainerBackend newWaitingBackend(int capacity) {
    return new ProcessBackend(silent.target(), capacity);
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
