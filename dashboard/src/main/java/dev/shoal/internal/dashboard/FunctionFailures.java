package dev.shoal.internal.dashboard;

import dev.shoal.internal.controlplane.Activity;
import dev.shoal.internal.controlplane.CallSummary;
import dev.shoal.internal.controlplane.FunctionView;
import dev.shoal.internal.controlplane.InputView;
import dev.shoal.internal.store.FunctionHistory;
import dev.shoal.internal.store.StoredFailure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A function's failure history: the failed inputs of its recent calls, newest first, each with the remote stack
 * trace, so that the function's page answers "what has been going wrong" without opening call after call. The
 * live part is what the control plane keeps (its recent calls, their first failures); a server's dashboard adds
 * what its {@link HistoryRecorder} stored, so the history outlives a restart.
 */
final class FunctionFailures {
  /** At most this many failures, across calls. */
  static final int MAX = FunctionHistory.FAILURES_KEPT;

  /** One failed input and the call it belongs to. */
  record Failure(String callId, String kind, long callCreatedAtMs, InputView input) {}

  private static final Comparator<Failure> NEWEST_FIRST =
      Comparator.comparingLong((Failure f) -> f.input().finishedAtMs()).reversed();

  private FunctionFailures() {}

  /** The live failures and, when there is a store, the stored ones, newest first, each once. */
  static List<Failure> of(Activity activity, FunctionView function, Optional<FunctionHistory> store) {
    Map<List<String>, Failure> byInput = new LinkedHashMap<>();
    live(activity, function).forEach(f -> byInput.put(List.of(f.callId(), f.input().id()), f));
    store.ifPresent(s -> s.failures(function.summary().id(), MAX)
        .forEach(f -> byInput.putIfAbsent(List.of(f.callId(), f.inputId()), failure(f))));
    return byInput.values().stream().sorted(NEWEST_FIRST).limit(MAX).toList();
  }

  /** The failures of the calls the control plane still keeps, newest first. */
  static List<Failure> live(Activity activity, FunctionView function) {
    List<Failure> failures = new ArrayList<>();
    List<CallSummary> calls = function.recentCalls().stream()
        .filter(c -> c.failed() > 0)
        .sorted(Comparator.comparingLong(CallSummary::createdAtMs).reversed())
        .toList();
    for (CallSummary call : calls) {
      activity.call(call.id()).ifPresent(view -> view.failures().stream()
          .sorted(Comparator.comparingLong(InputView::finishedAtMs).reversed())
          .forEach(input -> failures.add(new Failure(call.id(), call.kind(), call.createdAtMs(), input))));
      if (failures.size() >= MAX) {
        break;
      }
    }
    return failures.size() > MAX ? List.copyOf(failures.subList(0, MAX)) : failures;
  }

  private static Failure failure(StoredFailure f) {
    return new Failure(f.callId(), f.callKind(), f.callCreatedAt().toEpochMilli(), new InputView(f.inputId(),
        f.inputIndex(), f.attempts(), f.state(), f.errorType(), f.error(), f.finishedAt().toEpochMilli()));
  }
}
