package dev.shoal.internal.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.controlplane.backend.ContainerExit;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.backend.ContainerSpec;
import dev.shoal.protocol.v1.FunctionDefinition;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the process backend tells the ways a container JVM ends apart, with real processes. */
class ProcessBackendExitTest {
  private SilentListener silent;
  private ProcessBackend backend;

  @BeforeEach
  void start() throws IOException {
    silent = new SilentListener();
    backend = new ProcessBackend(silent.target(), 4);
  }

  @AfterEach
  void stop() throws IOException {
    backend.close();
    silent.close();
  }

  @Test
  void containerKilledFromOutsideIsReportedKilledNotAsAnExitOfItsOwn() throws Exception {
    CompletableFuture<ContainerExit> exit = new CompletableFuture<>();
    ContainerHandle handle = backend.start(spec("ct-outside"), (id, e) -> exit.complete(e));

    ProcessHandle.of(handle.pid()).orElseThrow().destroyForcibly(); // kill -9, as an operator would

    ContainerExit ended = exit.get(60, TimeUnit.SECONDS);
    assertThat(ended.cause()).isEqualTo(ContainerExit.Cause.KILLED);
    assertThat(ended.exitCode()).isEqualTo(137);
    assertThat(ended.reason()).isEqualTo("killed by SIGKILL");
    assertThat(ended.failedByItself()).isFalse();
  }

  @Test
  void containerTheBackendKillsIsReportedStopped() throws Exception {
    CompletableFuture<ContainerExit> exit = new CompletableFuture<>();
    ContainerHandle handle = backend.start(spec("ct-killed"), (id, e) -> exit.complete(e));

    handle.kill();

    assertThat(exit.get(60, TimeUnit.SECONDS).cause()).isEqualTo(ContainerExit.Cause.STOPPED);
  }

  @Test
  void containerThatCannotReachTheControlPlaneHasExitedByItselfWithAnError() throws Exception {
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ProcessBackend unreachable = new ProcessBackend("127.0.0.1:" + port(closed), 1)) {
      CompletableFuture<ContainerExit> exit = new CompletableFuture<>();

      unreachable.start(spec("ct-alone"), (id, e) -> exit.complete(e));

      ContainerExit ended = exit.get(60, TimeUnit.SECONDS);
      assertThat(ended.cause()).isEqualTo(ContainerExit.Cause.EXITED);
      assertThat(ended.exitCode()).isNotZero();
      assertThat(ended.failedByItself()).isTrue();
    }
  }

  @Test
  void jvmThatRanOutOfHeapIsReportedOutOfMemory() {
    String tail = "its output ended with:\nTerminating due to java.lang.OutOfMemoryError: Java heap space";

    assertThat(ProcessBackend.exit(3, false, tail).cause()).isEqualTo(ContainerExit.Cause.OUT_OF_MEMORY);
    assertThat(ProcessBackend.exit(3, false, "its output ended with:\nno such class").cause())
        .isEqualTo(ContainerExit.Cause.EXITED);
    assertThat(ProcessBackend.exit(137, true, tail).cause()).as("the backend killed it itself")
        .isEqualTo(ContainerExit.Cause.STOPPED);
  }

  /** A port nothing listens on: the socket's, once it is closed here. */
  private static int port(ServerSocket socket) throws IOException {
    int port = socket.getLocalPort();
    socket.close();
    return port;
  }

  private static ContainerSpec spec(String id) {
    List<String> classpath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    return new ContainerSpec(id, "token-of-" + id, "exit-test", "none", classpath,
        FunctionDefinition.newBuilder().setName("f").build());
  }
}
