package dev.shoal.internal.controlplane;

import dev.shoal.internal.store.AppState;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.LogEntry;
import dev.shoal.protocol.v1.LogSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the control plane is doing and has recently done, for the dashboard and for metrics: its apps, their
 * functions, the most recent calls and the apps' logs. Everything here is a copy taken at the moment of the
 * read, and everything it keeps is bounded: the last {@link #RECENT_CALLS} calls and {@link #STOPPED_APPS}
 * stopped apps.
 */
public final class Activity {
  static final int RECENT_CALLS = 1_000;
  static final int STOPPED_APPS = 32;
  private static final int EVENTS_SHOWN = 100;
  private static final int EVENTS_SCANNED = 5_000;

  private final Clock clock;
  private final Map<String, AppRecord> apps;
  private final AppLogs logs;
  private final List<ActivityListener> listeners = new CopyOnWriteArrayList<>();
  // Guarded by this; oldest first.
  private final LinkedHashMap<String, CallActivity> calls = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, CallActivity> eldest) {
      return size() > RECENT_CALLS;
    }
  };
  private final LinkedHashMap<String, AppView> stoppedApps = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, AppView> eldest) {
      return size() > STOPPED_APPS;
    }
  };

  Activity(Clock clock, Map<String, AppRecord> apps, AppLogs logs) {
    this.clock = clock;
    this.apps = apps;
    this.logs = logs;
  }

  /** Adds a listener told of every attempt and result from now on. */
  public void addListener(ActivityListener listener) {
    listeners.add(listener);
  }

  List<ActivityListener> listeners() {
    return listeners;
  }

  /** Starts keeping what a new call does. */
  CallActivity track(CallRecord call, String kind) {
    FunctionPool pool = call.pool;
    String function = call.method.isEmpty() ? pool.name() : pool.name() + "." + call.method;
    CallActivity a = new CallActivity(call.id, pool.app.id, pool.app.name, call.functionId(), function, kind,
        clock.millis());
    synchronized (this) {
      calls.put(call.id, a);
    }
    return a;
  }

  /** Keeps a picture of an app that stopped, since the control plane forgets its record. */
  void appStopped(AppRecord app) {
    AppView last = view(app);
    synchronized (this) {
      stoppedApps.put(app.id, last);
    }
  }

  /** Running apps, then recently stopped ones, newest first in each. */
  public List<AppView> apps() {
    List<AppView> out = new ArrayList<>();
    apps.values().stream()
        .sorted(Comparator.comparingLong((AppRecord a) -> a.createdAtMillis).reversed())
        .forEach(a -> out.add(view(a)));
    List<AppView> stopped;
    synchronized (this) {
      stopped = new ArrayList<>(stoppedApps.values());
    }
    stopped.reversed().stream().filter(v -> !apps.containsKey(v.id())).forEach(out::add);
    return out;
  }

  public Optional<AppView> app(String appId) {
    AppRecord running = apps.get(appId);
    if (running != null) {
      return Optional.of(view(running));
    }
    synchronized (this) {
      return Optional.ofNullable(stoppedApps.get(appId));
    }
  }

  /** Every function of the running apps, for metrics. */
  public List<FunctionSummary> functions() {
    List<FunctionSummary> out = new ArrayList<>();
    for (AppRecord app : apps.values()) {
      app.pools.values().forEach(p -> out.add(p.summary()));
    }
    return out;
  }

  /** A function of a running app by its id ({@code fu-…}). */
  public Optional<FunctionView> function(String functionId) {
    for (AppRecord app : apps.values()) {
      for (FunctionPool pool : app.pools.values()) {
        if (pool.id.equals(functionId)) {
          return Optional.of(view(pool));
        }
      }
    }
    return Optional.empty();
  }

  /** One of the recent calls, with its inputs and failures. */
  public Optional<CallView> call(String callId) {
    CallActivity a;
    synchronized (this) {
      a = calls.get(callId);
    }
    return Optional.ofNullable(a).map(CallActivity::view);
  }

  /**
   * Up to {@code max} entries of an app's log after {@code afterSeq}.
   *
   * @throws CoreException NOT_FOUND when the control plane keeps no log of that app
   */
  public LogPage logs(String appId, long afterSeq, int max) {
    AppLog log = logs.find(appId, ControlPlane.DEFAULT_ENVIRONMENT);
    AppLog.Slice slice = log.read(afterSeq, max);
    List<LogLine> lines = new ArrayList<>(slice.entries().size());
    slice.entries().forEach(e -> lines.add(line(e)));
    return new LogPage(log.appId, lines, slice.missed(), slice.lastSeq(), log.closed());
  }

  private List<CallSummary> recentCalls(String appId, String functionId, int max) {
    List<CallActivity> matching = new ArrayList<>();
    synchronized (this) {
      for (CallActivity a : calls.values()) {
        if (a.appId.equals(appId) && (functionId == null || a.functionId.startsWith(functionId))) {
          matching.add(a);
        }
      }
    }
    List<CallSummary> out = new ArrayList<>();
    for (int i = matching.size() - 1; i >= 0 && out.size() < max; i--) {
      out.add(matching.get(i).summary());
    }
    return out;
  }

  private AppView view(AppRecord app) {
    List<FunctionSummary> functions = new ArrayList<>();
    int live = 0;
    for (FunctionPool pool : app.pools.values()) {
      FunctionSummary s = pool.summary();
      functions.add(s);
      live += s.liveContainers();
    }
    functions.sort(Comparator.comparing(FunctionSummary::name));
    return new AppView(app.id, app.name, app.environment, app.state.name().toLowerCase(Locale.ROOT), app.version,
        isCurrent(app), app.createdAtMillis, functions, live, recentCalls(app.id, null, 50));
  }

  /**
   * Whether callers reach this app by its name: a running or detached app always, a deployed one if no newer
   * version of its name is deployed (an older one only drains the calls made on it), a stopped one never.
   */
  private boolean isCurrent(AppRecord app) {
    return switch (app.state) {
      case RUNNING, DETACHED -> true;
      case STOPPED -> false;
      case DEPLOYED -> apps.values().stream().noneMatch(other -> other.state == AppState.DEPLOYED
          && other.name.equals(app.name) && other.environment.equals(app.environment) && other.version > app.version);
    };
  }

  private FunctionView view(FunctionPool pool) {
    List<LogLine> events = new ArrayList<>();
    long last = pool.app.log.lastSeq();
    for (LogEntry e : pool.app.log.read(Math.max(0, last - EVENTS_SCANNED), EVENTS_SCANNED).entries()) {
      if (e.getSource() == LogSource.SYSTEM && e.getFunction().equals(pool.name())) {
        events.add(line(e));
      }
    }
    if (events.size() > EVENTS_SHOWN) {
      events = new ArrayList<>(events.subList(events.size() - EVENTS_SHOWN, events.size()));
    }
    return new FunctionView(pool.summary(), options(pool.definition), pool.stats.latency.view(),
        pool.containerInfos(), events, recentCalls(pool.app.id, pool.id, 50));
  }

  private static Map<String, Object> options(FunctionDefinition d) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("timeoutMs", d.getTimeoutMs());
    o.put("startupTimeoutMs", d.getStartupTimeoutMs());
    o.put("maxRetries", d.getRetryPolicy().getMaxRetries());
    o.put("retryInitialDelayMs", d.getRetryPolicy().getInitialDelayMs());
    o.put("retryBackoffCoefficient", d.getRetryPolicy().getBackoffCoefficient());
    o.put("retryMaxDelayMs", d.getRetryPolicy().getMaxDelayMs());
    o.put("minContainers", d.getMinContainers());
    o.put("maxContainers", d.getMaxContainers());
    o.put("bufferContainers", d.getBufferContainers());
    o.put("scaledownWindowMs", d.getScaledownWindowMs());
    o.put("maxConcurrentInputs", d.getMaxConcurrentInputs());
    if (d.getBatchMaxSize() > 0) {
      o.put("batchMaxSize", d.getBatchMaxSize());
      o.put("batchWaitMs", d.getBatchWaitMs());
    }
    o.put("cpu", d.getCpu());
    o.put("memoryMb", d.getMemoryMb());
    if (!d.getGpu().isEmpty()) {
      o.put("gpu", d.getGpu());
    }
    if (!d.getCls().isEmpty()) {
      o.put("cls", d.getCls());
      o.put("methods", List.copyOf(d.getMethodsList()));
    }
    o.put("volumes", d.getVolumesList().stream().map(v -> v.getName()).toList());
    // Only the names: an environment variable's value is often a credential.
    o.put("env", d.getEnvMap().keySet().stream().sorted().toList());
    return o;
  }

  private static LogLine line(LogEntry e) {
    String source = switch (e.getSource()) {
      case STDOUT -> "stdout";
      case STDERR -> "stderr";
      default -> "system";
    };
    return new LogLine(e.getSeq(), e.getTimeMs(), source, e.getFunction(), e.getContainerId(), e.getInputId(),
        e.getCallId(), e.getText());
  }
}
