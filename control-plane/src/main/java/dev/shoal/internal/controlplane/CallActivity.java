package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.Failure;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.ResultStatus;
import dev.shoal.protocol.v1.StackFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a call did, kept for people watching it: counts of its inputs by state, the attempts of its first
 * {@link #TRACKED_INPUTS} inputs and the errors of its first {@link #KEPT_FAILURES} failed ones. It holds no
 * arguments or results, and its size is bounded however many inputs the call has.
 *
 * <p>Pools update it under their own lock; it takes no other lock, so it can never be part of a lock cycle.
 */
final class CallActivity {
  static final int TRACKED_INPUTS = 500;
  static final int KEPT_FAILURES = 100;

  final String callId;
  final String appId;
  final String appName;
  final String functionId;
  final String function;
  final String kind;
  final long createdAtMillis;

  // Guarded by this.
  private long submitted;
  private long total = -1;
  private long running;
  private long succeeded;
  private long failed;
  private long cancelledInputs;
  private boolean cancelled;
  private String outcome;
  private long finishedAtMillis;
  private final Map<String, InputTrace> inputs = new LinkedHashMap<>();
  private final List<InputTrace> failures = new ArrayList<>();

  CallActivity(String callId, String appId, String appName, String functionId, String function, String kind,
      long createdAtMillis) {
    this.callId = callId;
    this.appId = appId;
    this.appName = appName;
    this.functionId = functionId;
    this.function = function;
    this.kind = kind;
    this.createdAtMillis = createdAtMillis;
  }

  /** One input as the dashboard shows it. */
  private static final class InputTrace {
    final String id;
    final long index;
    int attempts;
    String state = "pending";
    String error;
    String errorType;
    long finishedAtMillis;

    InputTrace(String id, long index) {
      this.id = id;
      this.index = index;
    }

    InputView view() {
      return new InputView(id, index, attempts, state, errorType == null ? "" : errorType,
          error == null ? "" : error, finishedAtMillis);
    }
  }

  synchronized void submitted(long n) {
    submitted += n;
  }

  /** No more inputs will come: the call has {@code total} in all. */
  synchronized void total(long total, long nowMillis) {
    this.total = total;
    finishIfDone(nowMillis);
  }

  synchronized void cancelled(long nowMillis) {
    if (outcome == null) {
      cancelled = true;
      outcome = "cancelled";
      finishedAtMillis = nowMillis;
    }
  }

  synchronized void attemptStarted(InputRecord in) {
    running++;
    InputTrace t = trace(in);
    if (t != null) {
      t.attempts = in.attempt;
      t.state = "running";
    }
  }

  /** An attempt ended; {@code result} is its outcome, final or followed by a retry. */
  synchronized void attemptEnded(InputRecord in, Result result) {
    running = Math.max(0, running - 1);
    InputTrace t = trace(in);
    if (t != null && result.getStatus() != ResultStatus.SUCCESS) {
      t.state = "retrying";
      t.errorType = result.getFailure().getType();
      t.error = render(result.getFailure());
    }
  }

  /** A container died under the input, which goes back to the queue. */
  synchronized void attemptLost(InputRecord in) {
    running = Math.max(0, running - 1);
    InputTrace t = trace(in);
    if (t != null) {
      t.state = "pending";
    }
  }

  synchronized void finished(InputRecord in, Result result, boolean wasRunning, long nowMillis) {
    if (wasRunning) {
      running = Math.max(0, running - 1);
    }
    String state = outcome(result.getStatus());
    switch (state) {
      case "succeeded" -> succeeded++;
      case "cancelled" -> cancelledInputs++;
      default -> failed++;
    }
    InputTrace t = trace(in);
    if (t != null) {
      t.state = state;
      t.finishedAtMillis = nowMillis;
      if (result.hasFailure()) {
        t.errorType = result.getFailure().getType();
        t.error = render(result.getFailure());
      }
      if (!state.equals("succeeded") && !state.equals("cancelled") && failures.size() < KEPT_FAILURES) {
        failures.add(t);
      }
    } else if (result.hasFailure() && !state.equals("cancelled") && failures.size() < KEPT_FAILURES) {
      InputTrace untracked = new InputTrace(in.id, in.index);
      untracked.attempts = in.attempt;
      untracked.state = state;
      untracked.errorType = result.getFailure().getType();
      untracked.error = render(result.getFailure());
      untracked.finishedAtMillis = nowMillis;
      failures.add(untracked);
    }
    if (kind.equals("remote") || kind.equals("spawn")) {
      total = 1;
      if (outcome == null) {
        outcome = state;
        finishedAtMillis = nowMillis;
      }
    }
    finishIfDone(nowMillis);
  }

  private void finishIfDone(long nowMillis) {
    if (outcome == null && total >= 0 && succeeded + failed + cancelledInputs >= total) {
      outcome = failed > 0 ? "failed" : cancelledInputs > 0 ? "cancelled" : "succeeded";
      finishedAtMillis = nowMillis;
    }
  }

  private InputTrace trace(InputRecord in) {
    InputTrace t = inputs.get(in.id);
    if (t == null && inputs.size() < TRACKED_INPUTS) {
      t = new InputTrace(in.id, in.index);
      inputs.put(in.id, t);
    }
    return t;
  }

  synchronized String state() {
    if (outcome != null) {
      return outcome;
    }
    return running > 0 || succeeded + failed + cancelledInputs > 0 ? "running" : "pending";
  }

  synchronized CallSummary summary() {
    long done = succeeded + failed + cancelledInputs;
    return new CallSummary(callId, appId, appName, functionId, function, kind, state(), createdAtMillis,
        finishedAtMillis, total, Math.max(submitted, done), done, running, succeeded, failed, cancelledInputs);
  }

  synchronized CallView view() {
    List<InputView> in = new ArrayList<>(inputs.size());
    inputs.values().forEach(t -> in.add(t.view()));
    List<InputView> f = new ArrayList<>(failures.size());
    failures.forEach(t -> f.add(t.view()));
    return new CallView(summary(), in, f, total > TRACKED_INPUTS || submitted > TRACKED_INPUTS);
  }

  static String outcome(ResultStatus status) {
    return switch (status) {
      case SUCCESS -> "succeeded";
      case CANCELLED -> "cancelled";
      case TIMEOUT -> "timed_out";
      default -> "failed";
    };
  }

  /** A remote failure as Java prints an exception: type, message, frames, then each cause. */
  static String render(Failure failure) {
    StringBuilder out = new StringBuilder();
    Failure f = failure;
    for (int depth = 0; f != null && depth < 16; depth++) {
      if (depth > 0) {
        out.append("Caused by: ");
      }
      out.append(f.getType());
      if (!f.getMessage().isEmpty()) {
        out.append(": ").append(f.getMessage());
      }
      out.append('\n');
      for (StackFrame frame : f.getFramesList()) {
        out.append("\tat ").append(frame.getClassName()).append('.').append(frame.getMethodName()).append('(')
            .append(frame.getFileName().isEmpty() ? "Unknown Source" : frame.getFileName());
        if (frame.getLineNumber() > 0) {
          out.append(':').append(frame.getLineNumber());
        }
        out.append(")\n");
      }
      f = f.hasCause() ? f.getCause() : null;
    }
    return out.toString();
  }
}
