package dev.shoal.internal.controlplane;

import dev.shoal.internal.store.CallCompletion;
import dev.shoal.internal.store.CallState;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.ResultStatus;
import java.util.List;

/**
 * A detached map: its inputs were stored before the caller got the map's id, and it returns nothing to the
 * caller. Each input's result is recorded in the store, its value's blob with it, for as long as a spawned call's
 * is retained, so that any process can read the results back by the map's id, a page at a time.
 */
final class SpawnedMapRecord extends CallRecord {
  private final DurableWriter writer;
  private final java.time.Clock clock;

  SpawnedMapRecord(String id, FunctionPool pool, DurableWriter writer, java.time.Clock clock) {
    super(id, pool);
    this.writer = writer;
    this.clock = clock;
  }

  @Override
  void complete(List<Completion> completions) {
    for (Completion c : completions) {
      Result r = c.result();
      writer.complete(new CallCompletion(c.input().id, state(r), r.toByteArray(), clock.instant(),
          BlobRouting.blobOf(r)), () -> { });
    }
  }

  static CallState state(Result r) {
    return switch (r.getStatus()) {
      case SUCCESS -> CallState.SUCCEEDED;
      case CANCELLED -> CallState.CANCELLED;
      case TIMEOUT -> CallState.TIMED_OUT;
      default -> CallState.FAILED;
    };
  }

  @Override
  void cancel(String why) {
    cancelled = true;
    activity().cancelled(pool.host.nowMillis());
    pool.cancelInputsOf(this, null, why);
  }

  @Override
  dev.shoal.protocol.v1.CallState state() {
    return cancelled ? dev.shoal.protocol.v1.CallState.CANCELLED_STATE : dev.shoal.protocol.v1.CallState.RUNNING;
  }
}
