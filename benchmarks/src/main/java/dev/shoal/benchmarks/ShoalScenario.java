package dev.shoal.benchmarks;

import dev.shoal.Backend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Shoal measurement, in a JVM of its own. The embedded engine lives in the caller's JVM, so a measurement that
 * hangs or wedges the engine (a deadlock, a container that never goes) would spoil every measurement after it in a
 * shared JVM. Here it becomes one failed figure, with a thread dump, and the run goes on.
 */
final class ShoalScenario {
  enum Kind { MAP, REMOTE, COLD_START, SPAWN_MEMORY, SPAWN_POSTGRES, BATCHED }

  private ShoalScenario() {}

  static Figure measure(Kind kind, Backend backend, int containers, Sizes sizes) throws Exception {
    return measure(kind, backend, containers, sizes, System.getProperty("java.class.path"), List.of());
  }

  /** As {@link #measure(Kind, Backend, int, Sizes)}, in a JVM on {@code classpath} with more flags. */
  static Figure measure(Kind kind, Backend backend, int containers, Sizes sizes, String classpath,
      List<String> moreFlags) throws Exception {
    // The map scenario goes up to four process containers, above the default cap of one per core.
    List<String> flags = new ArrayList<>(
        List.of("-Dshoal.maxContainers=" + Math.max(4, Runtime.getRuntime().availableProcessors())));
    flags.addAll(moreFlags);
    try (ChildJvm child = ChildJvm.start(ShoalScenario.class, flags,
        List.of(kind.name(), backend.name(), Integer.toString(containers), sizes.mode()), classpath)) {
      Map<String, Object> result =
          child.awaitResult(Duration.ofSeconds(sizes.scenarioTimeoutSeconds()), Sizes.STALL_TIMEOUT);
      @SuppressWarnings("unchecked")
      Map<String, Object> details = new LinkedHashMap<>((Map<String, Object>) result.get("details"));
      if (!child.chatter().isEmpty()) {
        details.put("output", child.chatter());
      }
      return switch (Figure.Status.valueOf((String) result.get("status"))) {
        case OK -> Figure.of(((Number) result.get("value")).doubleValue(), details);
        case FAILED -> Figure.failed((String) result.get("error"), details);
      };
    }
  }

  /** The child JVM: {@code KIND BACKEND CONTAINERS MODE}; reports the figure, even a failed one. */
  public static void main(String[] args) {
    ChildJvm.Child.exitWithParent();
    Kind kind = Kind.valueOf(args[0]);
    Backend backend = Backend.valueOf(args[1]);
    int containers = Integer.parseInt(args[2]);
    Sizes sizes = Sizes.named(args[3]);
    Figure figure = Figure.capture(String.join(" ", args), () -> switch (kind) {
      case MAP -> MapThroughput.shoalMap(backend, containers, sizes);
      case REMOTE -> RoundTrip.shoalRoundTrips(backend, sizes);
      case COLD_START -> ColdStart.coldStarts(backend, sizes);
      case SPAWN_MEMORY -> DurableSpawn.shoalSpawns(DurableSpawn.Store.MEMORY, sizes);
      case SPAWN_POSTGRES -> DurableSpawn.shoalSpawns(DurableSpawn.Store.POSTGRES, sizes);
      case BATCHED -> BatchedThroughput.measure(sizes);
    });
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("status", figure.status().name());
    result.put("value", figure.ok() ? figure.value() : null);
    result.put("error", figure.error());
    result.put("details", figure.details());
    ChildJvm.Child.report(result);
    // The embedded engine's gRPC threads would keep the JVM alive.
    System.exit(0);
  }
}
