package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.CallState;
import dev.shoal.protocol.v1.MapOutput;
import dev.shoal.protocol.v1.MapOutputs;
import java.util.List;

/**
 * A map: inputs arrive in batches while earlier ones already run, and each result is streamed back once. The
 * caller's in-flight window bounds how many inputs a map has in the control plane at once.
 */
final class MapCallRecord extends CallRecord {
  /** Where a map's results go: the caller's response stream. */
  interface Sink {
    void outputs(MapOutputs outputs);

    void completed();

    void cancelled(String why);
  }

  private final Sink sink;
  private long finished;
  private long total = -1;
  private boolean over;

  MapCallRecord(String id, FunctionPool pool, Sink sink) {
    super(id, pool);
    this.sink = sink;
  }

  /** No more inputs will come; {@code total} were sent in all. */
  void end(long total) {
    synchronized (this) {
      this.total = total;
    }
    finishIfDone();
  }

  @Override
  void complete(List<Completion> completions) {
    BlobRouting blobs = pool.host.blobs();
    for (Completion c : completions) {
      blobs.releaseArgument(c.input().args);
    }
    synchronized (this) {
      if (over || cancelled) {
        return;
      }
      completions.forEach(c -> blobs.delivering(c.result()));
      MapOutputs.Builder batch = MapOutputs.newBuilder();
      long bytes = 0;
      for (Completion c : completions) {
        int size = c.result().getValue().getData().size();
        if (bytes + size > BlobRouting.MAX_BATCH_BYTES && batch.getOutputsCount() > 0) {
          sink.outputs(batch.build());
          batch = MapOutputs.newBuilder();
          bytes = 0;
        }
        bytes += size;
        batch.addOutputs(MapOutput.newBuilder().setIndex(c.input().index).setResult(c.result()));
      }
      sink.outputs(batch.build());
      finished += completions.size();
    }
    finishIfDone();
  }

  private void finishIfDone() {
    synchronized (this) {
      if (over || total < 0 || finished < total) {
        return;
      }
      over = true;
      sink.completed();
    }
    pool.host.forget(this);
  }

  @Override
  void cancel(String why) {
    synchronized (this) {
      if (over) {
        return;
      }
      over = true;
      cancelled = true;
      sink.cancelled(why);
    }
    activity().cancelled(pool.host.nowMillis());
    pool.cancelInputsOf(this, null, why);
    pool.host.forget(this);
  }

  @Override
  synchronized CallState state() {
    if (cancelled) {
      return CallState.CANCELLED_STATE;
    }
    return over ? CallState.SUCCEEDED : CallState.RUNNING;
  }
}
