package dev.shoal.internal.controlplane;

import java.util.ArrayList;
import java.util.List;

/** The control plane's side of one map stream: its inputs as they come, its end, its cancellation. */
public final class MapSession {
  private final MapCallRecord call;
  private long received;

  MapSession(MapCallRecord call) {
    this.call = call;
  }

  public String callId() {
    return call.id;
  }

  public void add(List<dev.shoal.protocol.v1.MapInput> inputs) {
    List<InputRecord> records = new ArrayList<>(inputs.size());
    BlobRouting blobs = call.pool.host.blobs();
    for (dev.shoal.protocol.v1.MapInput in : inputs) {
      try {
        blobs.holdArgument(in.getArgs());
      } catch (CoreException e) {
        records.forEach(r -> blobs.releaseArgument(r.args));
        throw e;
      }
      records.add(new InputRecord(call.id + "-" + in.getIndex(), call, in.getIndex(), in.getArgs()));
    }
    received += records.size();
    call.activity().submitted(records.size());
    call.pool.submit(records);
  }

  public void end(long total) {
    requireTotal(call.id, total, received);
    call.activity().total(total, call.pool.host.nowMillis());
    call.end(total);
  }

  /** Refuses a map whose end names another count than the inputs that came: some were lost on the way. */
  static void requireTotal(String mapId, long total, long received) {
    if (total != received) {
      throw new CoreException(CoreException.Kind.INVALID_ARGUMENT,
          "map " + mapId + " ended with total " + total + " but sent " + received + " inputs");
    }
  }

  public void cancel(String why) {
    call.cancel(why);
  }
}
