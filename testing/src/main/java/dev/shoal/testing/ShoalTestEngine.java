package dev.shoal.testing;

import dev.shoal.App;
import dev.shoal.Backend;
import dev.shoal.FunctionCall;
import dev.shoal.internal.controlplane.Activity;
import dev.shoal.internal.controlplane.AppView;
import dev.shoal.internal.controlplane.CallSummary;
import dev.shoal.internal.controlplane.CallView;
import dev.shoal.internal.controlplane.InputView;
import dev.shoal.internal.controlplane.LogLine;
import dev.shoal.internal.controlplane.LogPage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The engine of a {@link ShoalTest}, and what it saw: the calls the test made with their attempts, the containers'
 * lifecycle events and the apps' output. Everything here is read from what the engine keeps for its dashboard,
 * at the moment of the read; wait for a state with Awaitility rather than expecting it at once.
 *
 * <p>The engine keeps the 50 newest calls of each app and the last 32 apps that stopped, which is plenty for a
 * test and keeps a long test class's memory bounded.
 */
public final class ShoalTestEngine implements AutoCloseable {
  private static final int LOG_PAGE = 10_000;

  private final TestClock clock;
  private final EngineUnderTest engine;
  private final LeakCheck leaks;
  private final EngineProperties properties;
  private boolean closed;

  private ShoalTestEngine(TestClock clock, EngineUnderTest engine, LeakCheck leaks, EngineProperties properties) {
    this.clock = clock;
    this.engine = engine;
    this.leaks = leaks;
    this.properties = properties;
  }

  /** Starts an engine and makes it the one this JVM's calls reach, until {@link #close}. */
  static ShoalTestEngine start(Backend containers, boolean server) {
    return start(containers, server, LeakCheck.begin());
  }

  /** As {@link #start(Backend, boolean)}, with the leak check given; for tests of the check. */
  static ShoalTestEngine start(Backend containers, boolean server, LeakCheck leaks) {
    TestClock clock = new TestClock(java.time.Clock.systemUTC());
    EngineUnderTest engine = server ? ServerEngine.start(clock) : new MemoryEngine(containers, clock);
    return new ShoalTestEngine(clock, engine, leaks, EngineProperties.point(engine.target(), engine.token()));
  }

  /** The engine's clock, which the test moves on to reach backoffs, timeouts, scale-down and retention at once. */
  public TestClock clock() {
    return clock;
  }

  /** Where a client in another process reaches this engine, as {@code host:port}; only a server has one. */
  public Optional<String> address() {
    return engine.target().startsWith("inprocess:") ? Optional.empty() : Optional.of(engine.target());
  }

  /** The token a client in another process sends, with {@link #address}. */
  public String token() {
    return engine.token();
  }

  /** Every call made on this engine that it still keeps, newest first. */
  public List<CallTrace> calls() {
    return calls(app -> true);
  }

  /** The calls made on the functions of {@code app}, newest first. */
  public List<CallTrace> calls(App app) {
    return calls(view -> view.name().equals(app.name()));
  }

  /**
   * One call, by the handle {@code spawn} returned.
   *
   * @throws IllegalArgumentException if the engine keeps no such call
   */
  public CallTrace call(FunctionCall<?> call) {
    return call(call.id());
  }

  /**
   * One call, by its id ({@code fc-…}).
   *
   * @throws IllegalArgumentException if the engine keeps no such call
   */
  public CallTrace call(String callId) {
    return activity().call(callId).map(ShoalTestEngine::trace)
        .orElseThrow(() -> new IllegalArgumentException("this engine keeps no call " + callId));
  }

  /** The lifecycle events of every container of {@code app}'s runs on this engine, oldest first. */
  public List<ContainerEvent> containerEvents(App app) {
    List<ContainerEvent> events = new ArrayList<>();
    for (LogLine line : logLines(app)) {
      if (line.source().equals("system") && !line.containerId().isEmpty()) {
        events.add(new ContainerEvent(Instant.ofEpochMilli(line.timeMs()), line.function(), line.containerId(),
            ContainerEvent.kindOf(line.text()), line.text()));
      }
    }
    return events;
  }

  /** What the code of {@code app}'s functions printed (stdout and stderr), line by line, oldest first. */
  public List<String> logs(App app) {
    return logLines(app).stream()
        .filter(line -> !line.source().equals("system"))
        .map(LogLine::text)
        .toList();
  }

  private List<CallTrace> calls(Predicate<AppView> which) {
    List<CallSummary> summaries = new ArrayList<>();
    for (AppView app : activity().apps()) {
      if (which.test(app)) {
        summaries.addAll(app.recentCalls());
      }
    }
    summaries.sort(Comparator.comparingLong(CallSummary::createdAtMs).reversed());
    List<CallTrace> out = new ArrayList<>();
    for (CallSummary summary : summaries) {
      activity().call(summary.id()).map(ShoalTestEngine::trace).ifPresent(out::add);
    }
    return out;
  }

  /** The log of every run of {@code app} on this engine, oldest run first. */
  private List<LogLine> logLines(App app) {
    List<AppView> runs = new ArrayList<>(activity().apps().stream()
        .filter(view -> view.name().equals(app.name()))
        .toList());
    runs.sort(Comparator.comparingLong(AppView::createdAtMs));
    List<LogLine> lines = new ArrayList<>();
    for (AppView run : runs) {
      long after = 0;
      while (true) {
        LogPage page = activity().logs(run.id(), after, LOG_PAGE);
        lines.addAll(page.lines());
        if (page.lines().isEmpty() || page.lastSeq() == after) {
          break;
        }
        after = page.lastSeq();
      }
    }
    return lines;
  }

  private Activity activity() {
    return engine.controlPlane().activity();
  }

  private static CallTrace trace(CallView view) {
    CallSummary s = view.summary();
    List<InputTrace> inputs = new ArrayList<>();
    for (InputView in : view.inputs()) {
      inputs.add(new InputTrace(in.index(), in.attempts(), in.state(), in.errorType()));
    }
    return new CallTrace(s.id(), s.appName(), s.function(), s.kind(), s.state(), inputs);
  }

  /**
   * Closes the engine, gives the JVM's calls back to whatever they reached before, and checks that nothing it
   * started is left.
   *
   * @throws AssertionError naming the threads and processes still alive 30 s after the engine closed
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      engine.close();
    } finally {
      properties.restore();
    }
    leaks.verify();
  }
}
