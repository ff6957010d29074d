package dev.shoal.internal.controlplane;

import dev.shoal.internal.controlplane.backend.ContainerExit;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.backend.ContainerSpec;
import dev.shoal.internal.controlplane.scaling.Autoscaler;
import dev.shoal.internal.controlplane.scaling.ContainerPhase;
import dev.shoal.internal.controlplane.scaling.ContainerView;
import dev.shoal.internal.controlplane.scaling.PoolSnapshot;
import dev.shoal.internal.controlplane.scaling.ScalingDecision;
import dev.shoal.internal.controlplane.scaling.ScalingPolicy;
import dev.shoal.protocol.v1.ContainerOutput;
import dev.shoal.protocol.v1.Failure;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.ResultStatus;
import dev.shoal.protocol.v1.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The containers of one function and the queue of inputs waiting for them.
 *
 * <p>Everything here is guarded by {@link #lock}. Work that reaches outside the pool (sending to a container,
 * delivering a result to a caller, starting or killing a process) is collected in {@link Effects} while the
 * lock is held and carried out after it is released, so that no lock is held across I/O or user callbacks.
 *
 * <p>Delivery: an input is leased to one container at a time. When the container returns its output the lease
 * ends; when the container dies the lease is broken and the input goes back to the front of the queue without
 * using up a retry, up to {@link #MAX_INTERNAL_FAILURES} times. An input whose call is cancelled is skipped
 * where it stands in the queue rather than searched for.
 *
 * <p>Start-up: a container that dies before it is ready counts against the function only if its end says
 * something about the function's code: it reported that the app could not load ({@code StartupFailed}), it
 * exited by itself with an error, or its backend could not start it. One killed from outside, OOM-killed or
 * evicted is replaced, and never counted, however often it happens. Since a container's stream usually ends
 * before its backend reports its exit, the verdict on a container whose stream ended without a word waits for
 * that report. What counted failures lead to is {@link StartupBackoff}'s to say, and how long a container may
 * take to start, {@link StartupDeadlines}'.
 */
final class FunctionPool {
  static final int MAX_INTERNAL_FAILURES = 8;
  /** How long a container asked to stop may take before it is killed. */
  static final long STOP_GRACE_MILLIS = 10_000;
  /**
   * The same for a Cls pool's containers, which run the instance's close() when they stop: Modal gives
   * {@code @exit} 30 s, and the container's running inputs get 5 s before it.
   */
  static final long CLS_STOP_GRACE_MILLIS = 40_000;
  /**
   * How long a container told that a running input's call was cancelled may take to answer it. Its code is
   * interrupted, and stopped at the next point Shoal controls ({@code Shoal.context()}, or a call, spawn or map of
   * its own); code that reaches none keeps running, and Java cannot stop a thread safely, so the container goes.
   */
  static final long CANCEL_GRACE_MILLIS = 5_000;
  /** A ready container silent for this long is taken for dead; containers send a heartbeat every 2 s. */
  static final long HEARTBEAT_TIMEOUT_MILLIS = 15_000;

  final PoolHost host;
  final AppRecord app;
  final String id;
  /** As the app defined it, with the scaling settings now in force ({@link #updateAutoscaler}). */
  volatile FunctionDefinition definition;
  // Guarded by lock.
  private ScalingPolicy policy;
  private final Autoscaler autoscaler = new Autoscaler();
  private final StartupBackoff startupBackoff = new StartupBackoff();
  private final StartupDeadlines startupDeadlines;
  /** What the pool has done, for the dashboard and metrics; updated under the lock, read without it. */
  final FunctionStats stats = new FunctionStats();

  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<InputRecord> queue = new ArrayDeque<>();
  private final Map<String, ContainerRecord> containers = new LinkedHashMap<>();
  private final Map<ContainerRecord, Long> stopRequestedAt = new LinkedHashMap<>();
  private int highWaterContainers;
  private boolean stopped;

  FunctionPool(PoolHost host, AppRecord app, String id, FunctionDefinition definition) {
    this.host = host;
    this.app = app;
    this.id = id;
    this.definition = definition;
    this.policy = policyOf(definition);
    this.startupDeadlines = new StartupDeadlines(definition.getStartupTimeoutMs());
  }

  /**
   * The scaling settings a definition asks for. A batched function's container runs a batch per worker at once,
   * so that is what it holds when full, and what its target is counted in.
   */
  static ScalingPolicy policyOf(FunctionDefinition definition) {
    int batch = Math.max(1, definition.getBatchMaxSize());
    int max = Math.max(1, definition.getMaxConcurrentInputs());
    int target = definition.getTargetConcurrentInputs() == 0 ? max
        : Math.min(max, definition.getTargetConcurrentInputs());
    return new ScalingPolicy(
        definition.getMinContainers(),
        definition.getMaxContainers(),
        definition.getBufferContainers(),
        Duration.ofMillis(definition.getScaledownWindowMs()),
        max * batch,
        target * batch);
  }

  /**
   * Puts new scaling settings in force at once: the pool grows to a raised floor, and shrinks to a lowered cap as
   * its containers fall idle. The caller has checked that the definition's settings are consistent.
   *
   * @throws IllegalArgumentException if they are not (a cap below the floor)
   */
  void updateAutoscaler(FunctionDefinition updated) {
    ScalingPolicy next = policyOf(updated);
    Effects effects = new Effects();
    lock.lock();
    try {
      policy = next;
      definition = updated;
      if (!stopped) {
        scale(effects);
      }
    } finally {
      lock.unlock();
    }
    effects.run();
  }

  String name() {
    return definition.getName();
  }

  /**
   * How long a container asked to stop may take before it is killed. A container that mounts volumes commits
   * them as it stops, and killing it then would lose what its inputs wrote, so it gets as long as a Cls's.
   */
  long stopGraceMillis() {
    return definition.getCls().isEmpty() && definition.getVolumesCount() == 0 ? STOP_GRACE_MILLIS
        : CLS_STOP_GRACE_MILLIS;
  }

  /** Whether this pool's containers need more than the common grace to stop: see {@link #stopGraceMillis}. */
  boolean slowToStop() {
    return !definition.getCls().isEmpty() || definition.getVolumesCount() > 0;
  }

  /** Queues new inputs and hands them to containers with room for them. */
  void submit(List<InputRecord> inputs) {
    Effects effects = new Effects();
    lock.lock();
    try {
      if (stopped) {
        for (InputRecord in : inputs) {
          finish(in, Results.cancelled("app " + app.name + " was stopped"), effects);
        }
      } else {
        queue.addAll(inputs);
        dispatch(effects);
        scale(effects);
      }
    } finally {
      lock.unlock();
    }
    effects.run();
  }

  /**
   * Cancels what a cancelled call has here. A queued input stays where it is and is skipped when reached (a map's
   * are many, and not searched for). A running one ends as cancelled at once, for its caller, and its container is
   * told to stop it: the lease lasts until the container answers, so that the container takes its next input only
   * once this one has stopped, and a container that does not answer within {@link #CANCEL_GRACE_MILLIS} is
   * replaced. An input of a batched function is not interrupted while others share its batch, so it gets as long
   * as its batch runs, bounded by the function's timeout.
   */
  void cancelInputsOf(CallRecord call, InputRecord single, String why) {
    Effects effects = new Effects();
    lock.lock();
    try {
      if (single != null && single.leasedTo == null) {
        single.done = true;
      }
      long now = host.nowMillis();
      for (ContainerRecord c : containers.values()) {
        for (InputRecord in : c.leased.values()) {
          if (in.call == call && in.cancelSentAtMillis == 0) {
            finish(in, Results.cancelled(why), effects);
            in.cancelSentAtMillis = now;
            effects.cancels.computeIfAbsent(c, k -> new ArrayList<>()).add(in.id);
          }
        }
      }
    } finally {
      lock.unlock();
    }
    effects.run();
  }

  /** Kills the container running {@code input}, if any; its other inputs go back to the queue. */
  void killContainerOf(InputRecord input) {
    ContainerRecord c;
    lock.lock();
    try {
      c = input.leasedTo;
    } finally {
      lock.unlock();
    }
    if (c != null) {
      kill(c, "its input's call was cancelled with terminateContainers");
    }
  }

  /** Registers a new container in STARTING; the caller starts it with the backend after the lock is released. */
  private ContainerRecord newContainer() {
    ContainerRecord c = new ContainerRecord(Ids.next("ct"), Ids.next("tk"), this, host.nowMillis());
    c.startupFromMillis = c.createdAtMillis;
    c.startupDeadlineMillis = c.startupFromMillis + startupDeadlines.nextMillis();
    app.backend.startingOne();
    containers.put(c.id, c);
    highWaterContainers = Math.max(highWaterContainers, containers.size());
    host.containers().register(c);
    return c;
  }

  void start(ContainerRecord c) {
    event(c, "starting container on " + app.backend.backend().name());
    app.unloggedExits.incrementAndGet();
    try {
      ContainerSpec spec = new ContainerSpec(c.id, c.token, app.name, app.appClass, app.classpath,
          withSecrets(definition));
      ContainerHandle handle = app.backend.backend().start(spec, (id, exit) -> ended(c, exit));
      app.handles.add(handle);
      lock.lock();
      try {
        c.handle = handle;
      } finally {
        lock.unlock();
      }
      host.containers().recordStarted(c, handle);
    } catch (RuntimeException e) {
      ended(c, ContainerExit.notStarted("the " + app.backend.backend().name() + " backend could not start it: " + e));
    }
  }

  /**
   * The definition a container starts from: the function's own, its named secrets' keys added to its environment
   * (opened now, so that a secret replaced since the app started is what new containers get).
   */
  private FunctionDefinition withSecrets(FunctionDefinition function) {
    if (function.getSecretsCount() == 0) {
      return function;
    }
    return function.toBuilder()
        .putAllEnv(host.secrets().environment(function.getSecretsList(), function.getName()))
        .build();
  }

  /**
   * Takes in a container that an earlier life of the control plane started and that reconnected ({@link
   * Adoptions}): it is ready, holds {@code leases} as if they were leased to it here, and gets new inputs once it
   * says how many it wants. Returns false, taking nothing, when the pool has stopped.
   */
  boolean adopt(ContainerRecord c, ContainerHandle handle, List<InputRecord> leases) {
    lock.lock();
    try {
      if (stopped) {
        return false;
      }
      long now = host.nowMillis();
      c.handle = handle;
      c.phase = ContainerPhase.READY;
      for (InputRecord in : leases) {
        c.leased.put(in.id, in);
        in.leasedTo = c;
        in.leasedAtMillis = now;
        in.call.activity().attemptStarted(in);
        if (in.call instanceof SingleCall s) {
          s.started();
        }
      }
      containers.put(c.id, c);
      highWaterContainers = Math.max(highWaterContainers, containers.size());
      app.backend.occupy();
      app.handles.add(handle);
      app.unloggedExits.incrementAndGet();
      host.containers().register(c);
      event(c, "adopted a container of the control plane's earlier life, running " + leases.size() + " inputs");
      return true;
    } finally {
      lock.unlock();
    }
  }

  void ready(ContainerRecord c, int window) {
    Effects effects = new Effects();
    lock.lock();
    try {
      if (c.removed) {
        return;
      }
      if (c.phase == ContainerPhase.STARTING) {
        setPhase(c, ContainerPhase.READY);
        c.idleSinceMillis = host.nowMillis();
        long took = c.idleSinceMillis - c.startupFromMillis;
        startupBackoff.succeeded();
        startupDeadlines.ready(took);
        event(c, "container started in " + took + " ms" + (c.startupFromMillis > c.createdAtMillis
            ? " after waiting " + (c.startupFromMillis - c.createdAtMillis) + " ms for a place to run" : ""));
      }
      c.window = window;
      dispatch(effects);
    } finally {
      lock.unlock();
    }
    effects.run();
  }

  void outputs(ContainerRecord c, List<ContainerOutput> outputs, int window) {
    Effects effects = new Effects();
    lock.lock();
    try {
      long now = host.nowMillis();
      c.window = window;
      for (ContainerOutput output : outputs) {
        InputRecord in = c.leased.remove(output.getInputId());
        if (in == null) {
          continue; // The lease was already broken by a timeout; this attempt's output no longer counts.
        }
        in.leasedTo = null;
        Result result = output.getResult();
        long took = now - in.leasedAtMillis;
        stats.latency.record(took);
        effects.ended.add(new Ended(took, result.getStatus() == ResultStatus.SUCCESS));
        in.call.activity().attemptEnded(in, result);
        boolean failedAttempt =
            result.getStatus() == ResultStatus.FAILURE || result.getStatus() == ResultStatus.TIMEOUT;
        boolean retry = failedAttempt && !in.done && in.attempt <= definition.getRetryPolicy().getMaxRetries();
        if (result.getStatus() == ResultStatus.FAILURE && !in.done) {
          logFailure(c, in, result.getFailure(), retry);
        }
        if (retry) {
          retryLater(in, effects);
        } else {
          finish(in, result, effects);
        }
      }
      if (c.leased.isEmpty()) {
        c.idleSinceMillis = now;
      }
      if (!c.removed) {
        dispatch(effects);
        scale(effects);
      }
    } finally {
      lock.unlock();
    }
    effects.run();
  }

  /** The container said that the app cannot load in it: a start-up failure of the function's own. */
  void startupFailed(ContainerRecord c, Failure failure) {
    lock.lock();
    try {
      c.startupFailure = failure;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Handles a container whose stream ended, which it does as it dies: called once or more, acted on once. How it
   * ended is known only when its backend reports the exit, so a container that had not started and did not say
   * why is judged then.
   */
  void gone(ContainerRecord c, int exitCode, String detail) {
    leave(c, exitCode, null);
  }

  /** Handles a container's end as its backend reports it, exactly once: logs how it ended, then acts on it. */
  void ended(ContainerRecord c, ContainerExit exit) {
    try {
      logExit(c, exit);
    } finally {
      app.unloggedExits.decrementAndGet();
    }
    leave(c, exit.exitCode(), exit);
    app.containerLeft();
  }

  /**
   * Takes a container that ended out of the pool, its inputs back to the queue, and, if it had not started,
   * judges whether that counts against the function once how it ended is known ({@code exit} null while not).
   */
  private void leave(ContainerRecord c, int exitCode, ContainerExit exit) {
    Effects effects = new Effects();
    lock.lock();
    try {
      boolean changed = false;
      if (!c.removed) {
        c.diedStarting = c.phase == ContainerPhase.STARTING;
        removeLocked(c, effects);
        requeueLeased(c, exitCode, effects);
        changed = true;
      }
      if (c.diedStarting && !c.startJudged && !stopped) {
        changed |= judgeStart(c, exit, effects);
      }
      if (changed && !stopped) {
        dispatch(effects);
        scale(effects);
      }
    } finally {
      lock.unlock();
    }
    effects.run();
  }

  private void requeueLeased(ContainerRecord c, int exitCode, Effects effects) {
    for (InputRecord in : c.leased.values()) {
      in.leasedTo = null;
      in.call.activity().attemptLost(in);
      in.internalFailures++;
      if (in.internalFailures > MAX_INTERNAL_FAILURES) {
        finish(in, Results.of(ResultStatus.INTERNAL_FAILURE, "dev.shoal.ShoalException",
            "input " + in.id + " was lost " + in.internalFailures + " times with the containers running it"
                + " (the last exited with code " + exitCode + ")"), effects);
      } else {
        queue.addFirst(in);
      }
    }
    c.leased.clear();
  }

  /**
   * Decides whether a container that died before it was ready counts as a start-up failure of the function, and
   * acts on a failed round. Returns false, deciding nothing, while how it ended is not known yet.
   */
  private boolean judgeStart(ContainerRecord c, ContainerExit exit, Effects effects) {
    Failure failure;
    if (c.startupFailure != null) {
      failure = c.startupFailure; // it said why itself, or it missed its deadline
    } else if (c.endRequested) {
      failure = null; // the control plane ended it
    } else if (exit == null) {
      return false;
    } else if (exit.failedByItself()) {
      failure = Failure.newBuilder()
          .setType("dev.shoal.ContainerStartException")
          .setMessage(exit.cause() == ContainerExit.Cause.NOT_STARTED
              ? "container " + c.id + " could not be started: " + exit.detail()
              : "container " + c.id + " exited with code " + exit.exitCode() + " before it was ready"
                  + (exit.detail().isBlank() ? "" : "; " + exit.detail()))
          .build();
    } else {
      failure = null; // killed from outside, out of memory or evicted: replaced, never counted
    }
    c.startJudged = true;
    if (failure != null && startupBackoff.failed(host.nowMillis())) {
      roundFailed(c, failure, effects);
    }
    return true;
  }

  /**
   * Fails the inputs waiting for a container, after {@link StartupBackoff#ROUND} start-up failures in a row, and
   * says when containers start again. A pool that still has a ready container keeps its queue for it.
   */
  private void roundFailed(ContainerRecord last, Failure failure, Effects effects) {
    boolean anyReady = containers.values().stream().anyMatch(x -> x.phase == ContainerPhase.READY);
    int failed = 0;
    if (!anyReady) {
      while (!queue.isEmpty()) {
        InputRecord in = queue.poll();
        if (!in.done) {
          finish(in, Results.initFailure(failure, name()), effects);
          failed++;
        }
      }
    }
    long backoff = startupBackoff.retryAtMillis() - host.nowMillis();
    event(last, StartupBackoff.ROUND + " containers in a row failed to start"
        + (failed > 0 ? "; " + failed + " waiting inputs fail with the reason" : "")
        + "; containers start again for new inputs in " + backoff + " ms");
  }

  /** Enforces timeouts and start-up limits and lets the autoscaler act; returns when to look again. */
  void tick() {
    Effects effects = new Effects();
    lock.lock();
    try {
      long now = host.nowMillis();
      for (ContainerRecord c : List.copyOf(containers.values())) {
        if (c.phase == ContainerPhase.STARTING && c.startupFailure == null && c.handle != null
            && c.handle.awaitingPlatform()) {
          // Its start has not begun: the budget counts from when the platform gives it a place to run.
          long budget = c.startupDeadlineMillis - c.startupFromMillis;
          c.startupFromMillis = now;
          c.startupDeadlineMillis = now + budget;
          continue;
        }
        if (c.phase == ContainerPhase.STARTING && now > c.startupDeadlineMillis) {
          if (c.startupFailure != null || missedDeadline(c)) {
            effects.kills.add(c);
          }
          continue;
        }
        if (c.phase == ContainerPhase.READY && now - c.lastSeenMillis > HEARTBEAT_TIMEOUT_MILLIS) {
          effects.kills.add(c);
          continue;
        }
        List<InputRecord> expired = new ArrayList<>();
        InputRecord unstoppable = null;
        for (InputRecord in : c.leased.values()) {
          if (now - in.leasedAtMillis > definition.getTimeoutMs()) {
            expired.add(in);
          } else if (in.cancelSentAtMillis > 0 && now - in.cancelSentAtMillis > CANCEL_GRACE_MILLIS
              && definition.getBatchMaxSize() == 0) {
            unstoppable = in;
          }
        }
        if (!expired.isEmpty()) {
          timeOut(c, expired, effects);
        } else if (unstoppable != null) {
          replaceUnstoppable(c, unstoppable, effects);
        }
      }
      stopRequestedAt.forEach((c, at) -> {
        if (!c.removed && now - at > stopGraceMillis()) {
          effects.kills.add(c);
        }
      });
      if (!stopped) {
        scale(effects);
      }
    } finally {
      lock.unlock();
    }
    effects.run();
  }

  /**
   * Handles a starting container past its deadline; returns whether to kill it. While other containers of the same
   * backend are starting too, it gets longer instead, up to a ceiling: starting JVMs compete for the machine, and
   * a start that is slow among them says nothing about the app. Otherwise, or past the ceiling, its kill counts
   * as a failure to start. Either way later containers get a longer deadline (see {@link StartupDeadlines}).
   */
  private boolean missedDeadline(ContainerRecord c) {
    long deadline = c.startupDeadlineMillis - c.startupFromMillis;
    int othersStarting = app.backend.starting() - 1;
    startupDeadlines.expired(deadline);
    if (othersStarting > 0 && deadline < startupDeadlines.ceilingMillis()) {
      long stretched = startupDeadlines.stretched(deadline);
      c.startupDeadlineMillis = c.startupFromMillis + stretched;
      event(c, "container not ready after " + deadline + " ms while " + othersStarting + " other containers are"
          + " starting on the " + app.backend.backend().name() + " backend; it gets " + stretched + " ms");
      return false;
    }
    long configured = definition.getStartupTimeoutMs();
    c.startupFailure = Failure.newBuilder()
        .setType("dev.shoal.ContainerStartException")
        .setMessage("container " + c.id + " did not become ready within the startup timeout of " + configured + " ms"
            + (deadline > configured ? ", lengthened to " + deadline + " ms after slow starts" : ""))
        .build();
    event(c, "killing container: it did not become ready within " + deadline + " ms");
    return true;
  }

  /**
   * Ends a container that ran an input past its timeout. Java cannot stop a thread safely, so the whole container
   * goes; the expired inputs use up an attempt, and its other inputs go back to the queue without using one.
   */
  private void timeOut(ContainerRecord c, List<InputRecord> expired, Effects effects) {
    removeLocked(c, effects);
    c.endRequested = true;
    for (InputRecord in : expired) {
      app.log.system(host.nowMillis(), name(), c.id, in.id, in.call.id, "killing container: input " + in.id
          + " ran past the timeout of " + definition.getTimeoutMs() + " ms (attempt " + in.attempt + ")");
      c.leased.remove(in.id);
      in.leasedTo = null;
      in.call.activity().attemptEnded(in, Results.of(ResultStatus.TIMEOUT, "dev.shoal.FunctionTimeoutException",
          "attempt " + in.attempt + " ran past the timeout of " + definition.getTimeoutMs() + " ms"));
      if (in.attempt <= definition.getRetryPolicy().getMaxRetries() && !in.done) {
        retryLater(in, effects);
      } else {
        finish(in, Results.of(ResultStatus.TIMEOUT, "dev.shoal.FunctionTimeoutException",
            "function " + name() + " timed out after " + definition.getTimeoutMs() + " ms (attempt " + in.attempt
                + " of input " + in.id + ")"), effects);
      }
    }
    for (InputRecord in : c.leased.values()) {
      in.leasedTo = null;
      in.call.activity().attemptLost(in);
      queue.addFirst(in);
    }
    c.leased.clear();
    effects.kills.add(c);
    dispatch(effects);
  }

  /**
   * Ends a container that still runs an input {@link #CANCEL_GRACE_MILLIS} after it was told the input's call was
   * cancelled; its other inputs go back to the queue without using an attempt, as when a container dies.
   */
  private void replaceUnstoppable(ContainerRecord c, InputRecord cancelled, Effects effects) {
    removeLocked(c, effects);
    c.endRequested = true;
    app.log.system(host.nowMillis(), name(), c.id, cancelled.id, cancelled.call.id, "killing container: input "
        + cancelled.id + " was still running " + CANCEL_GRACE_MILLIS + " ms after its call was cancelled; a new"
        + " container takes the next inputs");
    for (InputRecord in : c.leased.values()) {
      in.leasedTo = null;
      if (!in.done) {
        in.call.activity().attemptLost(in);
        queue.addFirst(in);
      }
    }
    c.leased.clear();
    effects.kills.add(c);
    dispatch(effects);
  }

  /** Stops the pool for good: every waiting input is cancelled and every container is asked to stop. */
  void stop(String why) {
    Effects effects = new Effects();
    lock.lock();
    try {
      stopped = true;
      while (!queue.isEmpty()) {
        finish(queue.poll(), Results.cancelled(why), effects);
      }
      for (ContainerRecord c : containers.values()) {
        for (InputRecord in : c.leased.values()) {
          finish(in, Results.cancelled(why), effects);
        }
        c.leased.clear();
        requestStop(c, effects);
      }
    } finally {
      lock.unlock();
    }
    effects.run();
  }

  /** Kills whatever is still alive; used when a stop's grace period is over. */
  void killAll() {
    List<ContainerRecord> alive;
    lock.lock();
    try {
      alive = List.copyOf(containers.values());
    } finally {
      lock.unlock();
    }
    alive.forEach(c -> kill(c, "the app stopped"));
  }

  /** How many of a call's inputs containers hold right now. */
  long leasedInputsOf(CallRecord call) {
    lock.lock();
    try {
      long n = 0;
      for (ContainerRecord c : containers.values()) {
        for (InputRecord in : c.leased.values()) {
          if (in.call == call) {
            n++;
          }
        }
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** The pool now, with what it has done since it was made. */
  FunctionSummary summary() {
    int live;
    int queued;
    int running = 0;
    lock.lock();
    try {
      live = containers.size();
      queued = queue.size();
      for (ContainerRecord c : containers.values()) {
        running += c.leased.size();
      }
    } finally {
      lock.unlock();
    }
    return new FunctionSummary(id, app.id, app.name, name(), live, queued, running, stats.started.get(),
        stats.succeeded.get(), stats.failed.get(), stats.cancelled.get());
  }

  /** The pool's live containers, oldest first. */
  List<ContainerInfo> containerInfos() {
    lock.lock();
    try {
      List<ContainerInfo> out = new ArrayList<>(containers.size());
      for (ContainerRecord c : containers.values()) {
        out.add(new ContainerInfo(c.id, c.phase.name().toLowerCase(java.util.Locale.ROOT), c.leased.size(),
            c.createdAtMillis, c.lastSeenMillis));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  PoolStats stats() {
    lock.lock();
    try {
      int running = 0;
      for (ContainerRecord c : containers.values()) {
        running += c.leased.size();
      }
      return new PoolStats(containers.size(), highWaterContainers, queue.size(), running);
    } finally {
      lock.unlock();
    }
  }

  int liveContainers() {
    lock.lock();
    try {
      return containers.size();
    } finally {
      lock.unlock();
    }
  }

  private void kill(ContainerRecord c, String why) {
    c.endRequested = true;
    ContainerHandle handle;
    lock.lock();
    try {
      handle = c.handle;
    } finally {
      lock.unlock();
    }
    if (handle != null) {
      handle.kill();
    } else {
      gone(c, -1, "killed before it started: " + why);
    }
  }

  /** Logs a lifecycle event of a container. */
  private void event(ContainerRecord c, String text) {
    app.log.system(host.nowMillis(), name(), c.id, null, null, text);
  }

  /** Logs how a container ended: stopped as asked, failed to start, or crashed, and why when the backend knows. */
  private void logExit(ContainerRecord c, ContainerExit exit) {
    Failure startupFailure;
    boolean poolStopped;
    boolean neverReady;
    lock.lock();
    try {
      startupFailure = c.startupFailure;
      poolStopped = stopped;
      neverReady = c.phase == ContainerPhase.STARTING || c.diedStarting;
    } finally {
      lock.unlock();
    }
    int code = exit.exitCode();
    if (startupFailure != null) {
      event(c, "container failed to start" + (code == -1 ? "" : " (exit code " + code + ")") + ": "
          + startupFailure.getMessage());
    } else if (exit.cause() == ContainerExit.Cause.NOT_STARTED) {
      event(c, "container failed to start: " + exit.detail());
    } else if (c.endRequested || poolStopped || exit.cause() == ContainerExit.Cause.STOPPED
        || (exit.cause() == ContainerExit.Cause.EXITED && code == 0)) {
      // No exit code: a container that was asked to stop may be killed once its stream has closed, which says
      // nothing about how it ended.
      event(c, "container stopped");
    } else if (neverReady && exit.failedByItself()) {
      event(c, "container failed to start: it exited with code " + code + " before it was ready");
    } else {
      String what = exit.cause() == ContainerExit.Cause.KILLED ? "container was killed from outside"
          : "container crashed";
      event(c, what + (code == -1 ? "" : " with exit code " + code)
          + (exit.reason().isEmpty() ? "" : ": " + exit.reason())
          + (neverReady ? ", while starting; it is replaced" : ""));
    }
  }

  /**
   * Writes a failed attempt to the app's log, with its stack trace, so that {@code shoal app logs --call} and the
   * call's own {@code logs()} show why it failed; called before the attempt number moves on.
   */
  private void logFailure(ContainerRecord c, InputRecord in, Failure failure, boolean retry) {
    String next = retry ? "retrying in " + retryDelayMillis(in) + " ms"
        : in.attempt == 1 && definition.getRetryPolicy().getMaxRetries() == 0 ? "no retries"
        : "no retries left";
    long now = host.nowMillis();
    for (String line : FailureLog.lines(in.id, in.call.id, in.attempt, failure, next)) {
      app.log.system(now, name(), c.id, in.id, in.call.id, line);
    }
  }

  private long retryDelayMillis(InputRecord in) {
    RetryPolicy p = definition.getRetryPolicy();
    double millis = p.getInitialDelayMs() * Math.pow(p.getBackoffCoefficient(), in.attempt - 1);
    return (long) Math.min(p.getMaxDelayMs(), millis);
  }

  private void retryLater(InputRecord in, Effects effects) {
    long delay = retryDelayMillis(in);
    in.attempt++;
    effects.attempts.add(in);
    effects.retries.add(new Retry(in, delay));
  }

  /** Puts an input whose retry delay is over back in the queue. */
  void requeue(InputRecord in) {
    Effects effects = new Effects();
    lock.lock();
    try {
      if (in.done) {
        return;
      }
      if (stopped) {
        finish(in, Results.cancelled("app " + app.name + " was stopped"), effects);
      } else {
        queue.addLast(in);
        dispatch(effects);
        scale(effects);
      }
    } finally {
      lock.unlock();
    }
    effects.run();
  }

  private void finish(InputRecord in, Result result, Effects effects) {
    if (in.done) {
      return;
    }
    in.done = true;
    String outcome = CallActivity.outcome(result.getStatus());
    switch (outcome) {
      case "succeeded" -> stats.succeeded.incrementAndGet();
      case "cancelled" -> stats.cancelled.incrementAndGet();
      default -> stats.failed.incrementAndGet();
    }
    in.call.activity().finished(in, result, in.leasedTo != null, host.nowMillis());
    effects.finished.add(outcome);
    effects.complete(in, result);
  }

  /** Moves a container to {@code phase}, keeping its backend's count of starting containers. */
  private void setPhase(ContainerRecord c, ContainerPhase phase) {
    if (c.phase == ContainerPhase.STARTING && phase != ContainerPhase.STARTING) {
      app.backend.doneStarting();
    }
    c.phase = phase;
  }

  private void removeLocked(ContainerRecord c, Effects effects) {
    c.removed = true;
    setPhase(c, ContainerPhase.STOPPING);
    containers.remove(c.id);
    stopRequestedAt.remove(c);
    effects.released.add(c);
  }

  private void requestStop(ContainerRecord c, Effects effects) {
    if (c.phase == ContainerPhase.STOPPING) {
      return;
    }
    c.endRequested = true;
    if (c.phase == ContainerPhase.STARTING) {
      effects.kills.add(c);
    } else {
      effects.shutdowns.add(c);
    }
    setPhase(c, ContainerPhase.STOPPING);
    stopRequestedAt.put(c, host.nowMillis());
  }

  /** Leases queued inputs to ready containers, spreading them one at a time over those with room. */
  private void dispatch(Effects effects) {
    if (queue.isEmpty()) {
      return;
    }
    List<ContainerRecord> open = new ArrayList<>();
    for (ContainerRecord c : containers.values()) {
      if (c.phase == ContainerPhase.READY && c.leased.size() < c.window) {
        open.add(c);
      }
    }
    long now = host.nowMillis();
    int i = 0;
    while (!open.isEmpty() && !queue.isEmpty()) {
      InputRecord in = queue.poll();
      if (in.done) {
        continue;
      }
      if (in.call.cancelled) {
        finish(in, Results.cancelled("call " + in.call.id + " was cancelled"), effects);
        continue;
      }
      ContainerRecord c = open.get(i % open.size());
      c.leased.put(in.id, in);
      in.leasedTo = c;
      in.leasedAtMillis = now;
      stats.started.incrementAndGet();
      in.call.activity().attemptStarted(in);
      effects.started++;
      if (in.call instanceof SingleCall s) {
        s.started();
      }
      effects.send(c, in);
      if (c.leased.size() >= c.window) {
        open.remove(i % open.size());
      } else {
        i++;
      }
    }
  }

  private void scale(Effects effects) {
    long now = host.nowMillis();
    List<ContainerView> views = new ArrayList<>(containers.size());
    for (ContainerRecord c : containers.values()) {
      views.add(new ContainerView(c.id, c.phase, c.leased.size(), Instant.ofEpochMilli(c.idleSinceMillis)));
    }
    int queued = queue.size();
    ScalingDecision decision = autoscaler.decide(
        policy, new PoolSnapshot(queued, views), Instant.ofEpochMilli(now), app.backend.headroom());
    for (String stopId : decision.stop()) {
      ContainerRecord c = containers.get(stopId);
      if (c != null) {
        requestStop(c, effects);
      }
    }
    // After a round of failed starts, the function waits out its backoff before it tries again.
    boolean mayStart = startupBackoff.mayStart(now);
    for (int n = 0; mayStart && n < decision.start(); n++) {
      if (!app.backend.reserve()) {
        break;
      }
      effects.starts.add(newContainer());
    }
    if (mayStart && queued > 0 && containers.isEmpty() && app.backend.headroom() == 0) {
      // The machine is full of other functions' containers; an idle one of them should make room.
      effects.reclaim = true;
    }
  }

  /**
   * Stops one idle container of this pool, if it has one above its minimum, to make room for another pool's
   * work. Returns whether it did.
   */
  boolean yieldIdleContainer() {
    Effects effects = new Effects();
    boolean yielded = false;
    lock.lock();
    try {
      if (stopped) {
        return false;
      }
      long live = containers.values().stream().filter(c -> c.phase != ContainerPhase.STOPPING).count();
      if (live > policy.minContainers() && queue.isEmpty()) {
        for (ContainerRecord c : containers.values()) {
          if (c.phase == ContainerPhase.READY && c.leased.isEmpty()) {
            requestStop(c, effects);
            yielded = true;
            break;
          }
        }
      }
    } finally {
      lock.unlock();
    }
    effects.run();
    return yielded;
  }

  private record Retry(InputRecord input, long delayMillis) {}

  private record Ended(long millis, boolean succeeded) {}

  /** What a locked section decided to do once the lock is released. */
  private final class Effects {
    final Map<ContainerRecord, List<InputLease>> sends = new LinkedHashMap<>();
    final Map<CallRecord, List<CallRecord.Completion>> completions = new LinkedHashMap<>();
    final Map<ContainerRecord, List<String>> cancels = new LinkedHashMap<>();
    final List<ContainerRecord> starts = new ArrayList<>();
    final List<ContainerRecord> shutdowns = new ArrayList<>();
    final List<ContainerRecord> kills = new ArrayList<>();
    final List<ContainerRecord> released = new ArrayList<>();
    final List<Retry> retries = new ArrayList<>();
    final List<InputRecord> attempts = new ArrayList<>();
    final List<Ended> ended = new ArrayList<>();
    final List<String> finished = new ArrayList<>();
    int started;
    boolean reclaim;

    void send(ContainerRecord c, InputRecord in) {
      sends.computeIfAbsent(c, k -> new ArrayList<>()).add(InputLease.of(in));
    }

    void complete(InputRecord in, Result result) {
      completions.computeIfAbsent(in.call, k -> new ArrayList<>()).add(new CallRecord.Completion(in, result));
    }

    void run() {
      sends.forEach(ContainerRecord::sendInputs);
      cancels.forEach(ContainerRecord::sendCancel);
      for (ContainerRecord c : released) {
        app.backend.release();
        host.containers().unregister(c);
        c.closeChannel();
        if (c.handle != null) {
          // A container whose stream ended exits by itself; this makes sure of it.
          c.handle.disconnected();
        }
      }
      if (!released.isEmpty()) {
        app.containerLeft();
      }
      completions.forEach(CallRecord::complete);
      shutdowns.forEach(ContainerRecord::sendShutdown);
      kills.forEach(c -> kill(c, "stopped by the control plane"));
      starts.forEach(FunctionPool.this::start);
      for (Retry r : retries) {
        host.schedule(r.delayMillis(), () -> requeue(r.input()));
      }
      if (reclaim) {
        host.roomWanted(FunctionPool.this);
      }
      attempts.forEach(host::attemptMade);
      tellListeners();
    }

    private void tellListeners() {
      List<ActivityListener> listeners = host.listeners();
      if (listeners.isEmpty()) {
        return;
      }
      for (ActivityListener l : listeners) {
        for (int i = 0; i < started; i++) {
          l.attemptStarted(app.name, name());
        }
        ended.forEach(e -> l.attemptEnded(app.name, name(), e.millis(), e.succeeded()));
        finished.forEach(o -> l.inputFinished(app.name, name(), o));
      }
    }
  }
}
