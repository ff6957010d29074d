package dev.shoal.internal.client;

import dev.shoal.Result;
import dev.shoal.internal.client.PublicApi.Failure;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.protocol.v1.GetMapResultsRequest;
import dev.shoal.protocol.v1.GetMapResultsResponse;
import dev.shoal.protocol.v1.MapOutput;
import io.grpc.StatusRuntimeException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A detached map's results in input order, read back from the engine a page at a time: this process holds one page
 * (at most {@link #PAGE} results) whatever the size of the map. While the next input has not finished, it asks
 * again after a pause that grows from {@link #FIRST_PAUSE_MILLIS} to {@link #MAX_PAUSE_MILLIS}: the engine has no
 * wait for a map's next result, and a pause of a second is small beside the inputs of a detached map.
 */
final class MapResults<O> implements Iterator<Result<O>> {
  static final int PAGE = 500;
  static final long FIRST_PAUSE_MILLIS = 50;
  static final long MAX_PAUSE_MILLIS = 1_000;

  private final EngineConnection connection;
  private final String mapId;
  private final ArrayDeque<MapOutput> page = new ArrayDeque<>();
  private ClassPolicy policy;
  private long next;
  private long total = -1;

  MapResults(EngineConnection connection, String mapId) {
    this.connection = connection;
    this.mapId = mapId;
  }

  @Override
  public boolean hasNext() {
    if (page.isEmpty() && (total < 0 || next < total)) {
      fetch();
    }
    return !page.isEmpty();
  }

  @Override
  public Result<O> next() {
    if (!hasNext()) {
      throw new NoSuchElementException("map " + mapId + " has no more results");
    }
    next++;
    return Outcomes.toResult(page.poll().getResult(), policy, connection, false);
  }

  /** Fills the page with the next results, waiting until the next input has finished. */
  private void fetch() {
    long pause = FIRST_PAUSE_MILLIS;
    while (true) {
      GetMapResultsResponse response = ask();
      total = response.getTotal();
      if (policy == null) {
        policy = FunctionCalls.policyFor(response.getAppClass());
      }
      page.addAll(response.getOutputsList());
      if (!page.isEmpty() || next >= total) {
        return;
      }
      if (response.getExpired()) {
        throw PublicApi.failure(Failure.OUTPUT_EXPIRED, "the result of input " + next + " of map " + mapId
            + " is no longer kept: results are retained for a limited time after they finish (7 days unless the"
            + " server says otherwise)");
      }
      pause = pause(pause, mapId);
    }
  }

  /**
   * Waits {@code pause} ms before asking the engine again for a map's results, and returns the next, longer pause;
   * an interrupt ends the wait as a cancelled one. Shared with {@link UnorderedMapResults}.
   */
  static long pause(long pause, String mapId) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PublicApi.failure(Failure.CANCELLED, "interrupted while waiting for the results of map " + mapId);
    }
    return Math.min(MAX_PAUSE_MILLIS, pause * 2);
  }

  private GetMapResultsResponse ask() {
    GetMapResultsRequest request =
        GetMapResultsRequest.newBuilder().setMapId(mapId).setFromIndex(next).setLimit(PAGE).build();
    try {
      return connection.retry().call("get the results of map " + mapId,
          () -> connection.blocking().getMapResults(request));
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "get the results of map " + mapId);
    }
  }
}
