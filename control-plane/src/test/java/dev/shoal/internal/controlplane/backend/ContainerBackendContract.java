package dev.shoal.internal.controlplane.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.protocol.v1.FunctionDefinition;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ContainerBackend} must honour, as the control plane relies on it: a started container is
 * alive until it ends; its end is reported exactly once, with the cause that tells the control plane whether to
 * blame the function; a kill, a disconnection and the backend's close each end it without blaming it; capacity
 * is what the backend was made with.
 *
 * <p>A backend's test extends this class and says how to make its containers wait and how to make them fail by
 * themselves. The containers are real (processes, threads, pods of a mock API server) but are never served by a
 * control plane: a waiting container connects to an address that accepts and never answers, so it stays starting
 * until something ends it, and a failing one meets an address nothing listens on (or the platform's equivalent).
 */
public abstract class ContainerBackendContract {
  /** Long enough for a JVM to start and stop on a busy two-core machine; exits normally come in about a second. */
  protected static final Duration EXIT_WAIT = Duration.ofSeconds(60);

  private final List<ContainerBackend> backends = new CopyOnWriteArrayList<>();
  private final Map<String, List<ContainerExit>> exits = new ConcurrentHashMap<>();

  /** A backend of at most {@code capacity} containers, each of which waits, never served, until it is ended. */
  protected abstract ContainerBackend newWaitingBackend(int capacity) throws Exception;

  /** A backend whose containers end by themselves with an error soon after they start, as a crashing JVM does. */
  protected abstract ContainerBackend newFailingBackend(int capacity) throws Exception;

  /**
   * Ends a running container from outside Shoal, as {@code kill -9} or a deleted pod does. Backends whose
   * containers nothing outside can end (threads) leave this as it is, and the test that needs it is skipped.
   */
  protected void endFromOutside(ContainerHandle handle, String containerId) throws Exception {
    Assumptions.abort("nothing outside this backend can end its containers");
  }

  /** A container's spec; the classpath is this JVM's, which process and thread containers load from. */
  protected ContainerSpec spec(String containerId) {
    List<String> classpath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    return new ContainerSpec(containerId, "token-of-" + containerId, "contract", "none", classpath,
        FunctionDefinition.newBuilder().setName("f").build());
  }

  @AfterEach
  void closeBackends() {
    backends.forEach(ContainerBackend::close);
  }

  @Test
  void nameIsOneARunCanSelectTheBackendBy() throws Exception {
    assertThat(waiting(1).name()).matches("[a-z][a-z-]*");
  }

  @Test
  void capacityIsTheOneTheBackendWasMadeWith() throws Exception {
    assertThat(waiting(3).capacity()).isEqualTo(3);
  }

  @Test
  void startedContainerIsAliveUntilItIsKilled() throws Exception {
    ContainerHandle handle = start(waiting(2), "ct-alive");

    assertThat(handle.isAlive()).isTrue();
    assertThat(handle.pid()).satisfiesAnyOf(pid -> assertThat(pid).isEqualTo(-1), pid -> assertThat(pid).isPositive());
    handle.kill();

    ContainerExit exit = awaitExit("ct-alive");
    assertThat(exit.cause()).isEqualTo(ContainerExit.Cause.STOPPED);
    assertThat(exit.failedByItself()).isFalse();
    await().atMost(EXIT_WAIT).until(() -> !handle.isAlive());
  }

  @Test
  void killedContainerIsReportedOnceHoweverOftenItIsKilled() throws Exception {
    ContainerBackend backend = waiting(2);
    ContainerHandle handle = start(backend, "ct-twice");

    handle.kill();
    handle.kill();
    awaitExit("ct-twice");
    handle.kill();
    backend.close();

    assertThat(exits.get("ct-twice")).hasSize(1);
  }

  @Test
  void containerThatFailsByItselfIsReportedAsItsOwnErrorOnce() throws Exception {
    ContainerBackend backend = failing(1);
    ContainerHandle handle = start(backend, "ct-fails");

    ContainerExit exit = awaitExit("ct-fails");
    assertThat(exit.cause()).isEqualTo(ContainerExit.Cause.EXITED);
    assertThat(exit.exitCode()).isNotZero();
    assertThat(exit.failedByItself()).isTrue();
    await().atMost(EXIT_WAIT).until(() -> !handle.isAlive());
    handle.kill(); // as the control plane may, racing the exit
    backend.close();
    assertThat(exits.get("ct-fails")).as("a kill after the end reports nothing more").hasSize(1);
  }

  @Test
  void containerEndedFromOutsideIsReportedKilledAndNotBlamedOnTheFunction() throws Exception {
    ContainerHandle handle = start(waiting(1), "ct-outside");

    endFromOutside(handle, "ct-outside");

    ContainerExit exit = awaitExit("ct-outside");
    assertThat(exit.cause()).isEqualTo(ContainerExit.Cause.KILLED);
    assertThat(exit.failedByItself()).isFalse();
  }

  @Test
  void disconnectedContainerIsEndedAndReportedStopped() throws Exception {
    ContainerHandle handle = start(waiting(1), "ct-disconnected");

    handle.disconnected();

    ContainerExit exit = awaitExit("ct-disconnected");
    assertThat(exit.cause()).isEqualTo(ContainerExit.Cause.STOPPED);
    assertThat(exit.failedByItself()).isFalse();
    await().atMost(EXIT_WAIT).until(() -> !handle.isAlive());
  }

  @Test
  void closeEndsEveryContainerAndReportsEachOnceWithoutBlame() throws Exception {
    ContainerBackend backend = waiting(3);
    List<ContainerHandle> handles = new ArrayList<>();
    for (String id : List.of("ct-a", "ct-b", "ct-c")) {
      handles.add(start(backend, id));
    }

    backend.close();

    await().atMost(EXIT_WAIT).until(() -> exits.keySet().containsAll(List.of("ct-a", "ct-b", "ct-c")));
    await().atMost(EXIT_WAIT).until(() -> handles.stream().noneMatch(ContainerHandle::isAlive));
    assertThat(exits.values()).allSatisfy(reported -> {
      assertThat(reported).hasSize(1);
      assertThat(reported.getFirst().failedByItself()).as("ended by its backend: %s", reported).isFalse();
    });
  }

  @Test
  void eachContainerIsReportedUnderItsOwnId() throws Exception {
    ContainerBackend backend = waiting(2);
    ContainerHandle first = start(backend, "ct-first");
    ContainerHandle second = start(backend, "ct-second");

    second.kill();
    awaitExit("ct-second");

    assertThat(first.isAlive()).isTrue();
    assertThat(exits).doesNotContainKey("ct-first");
    first.kill();
    awaitExit("ct-first");
  }

  private ContainerBackend waiting(int capacity) throws Exception {
    ContainerBackend backend = newWaitingBackend(capacity);
    backends.add(backend);
    return backend;
  }

  private ContainerBackend failing(int capacity) throws Exception {
    ContainerBackend backend = newFailingBackend(capacity);
    backends.add(backend);
    return backend;
  }

  /** Starts a container whose every reported exit is kept under the id the report names. */
  private ContainerHandle start(ContainerBackend backend, String containerId) {
    return backend.start(spec(containerId), (id, exit) ->
        exits.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(exit));
  }

  private ContainerExit awaitExit(String containerId) {
    await().atMost(EXIT_WAIT).until(() -> exits.containsKey(containerId));
    return exits.get(containerId).getFirst();
  }
}
