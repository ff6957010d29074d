package dev.shoal.internal.dashboard;

import dev.shoal.internal.controlplane.Activity;
import dev.shoal.internal.controlplane.CallSummary;
import dev.shoal.internal.controlplane.FunctionView;
import dev.shoal.internal.controlplane.InputView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A function's failure history: the failed inputs of its recent calls, newest first, each with the remote stack
 * trace, so that the function's page answers "what has been going wrong" without opening call after call. It is
 * what the control plane keeps (its recent calls, their first failures), so it ends where that does.
 */
final class FunctionFailures {
  /** At most this many failures, across calls. */
  static final int MAX = 50;

  /** One failed input and the call it belongs to. */
  record Failure(String callId, String kind, long callCreatedAtMs, InputView input) {}

  private FunctionFailures() {}

  static List<Failure> of(Activity activity, FunctionView function) {
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
}
