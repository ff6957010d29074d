package dev.shoal.internal.client;

import com.google.protobuf.ByteString;
import dev.shoal.Result;
import dev.shoal.SpawnedMap;
import dev.shoal.internal.client.PublicApi.Failure;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.protocol.v1.GetMapResultsRequest;
import dev.shoal.protocol.v1.GetMapResultsResponse;
import dev.shoal.protocol.v1.MapOutput;
import io.grpc.StatusRuntimeException;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A detached map's results as its inputs finish, read back from the engine a page at a time. The engine looks at a
 * window of inputs that starts at the first one not yet returned ({@code from}); this process remembers which
 * inputs of that window it has returned already, one bit each, and the window moves on as its first inputs are
 * returned. So memory stays one window's bits and one page whatever the size of the map, and an input that runs
 * for hours holds back only the inputs past the window. Waits as {@link MapResults} does.
 */
final class UnorderedMapResults<O> implements Iterator<SpawnedMap.IndexedResult<O>> {
  private final EngineConnection connection;
  private final String mapId;
  private final ArrayDeque<MapOutput> page = new ArrayDeque<>();
  /** Bit k: input {@code from + k} was returned. */
  private BitSet returned = new BitSet();
  private ClassPolicy policy;
  private long from;
  private long total = -1;

  UnorderedMapResults(EngineConnection connection, String mapId) {
    this.connection = connection;
    this.mapId = mapId;
  }

  @Override
  public boolean hasNext() {
    if (page.isEmpty() && (total < 0 || from < total)) {
      fetch();
    }
    return !page.isEmpty();
  }

  @Override
  public SpawnedMap.IndexedResult<O> next() {
    if (!hasNext()) {
      throw new NoSuchElementException("map " + mapId + " has no more results");
    }
    MapOutput output = page.poll();
    Result<O> result = Outcomes.toResult(output.getResult(), policy, connection, false);
    return new SpawnedMap.IndexedResult<>(output.getIndex(), result);
  }

  /** Fills the page with results not returned yet, waiting until some input has finished. */
  private void fetch() {
    long pause = MapResults.FIRST_PAUSE_MILLIS;
    while (true) {
      GetMapResultsResponse response = ask();
      total = response.getTotal();
      if (policy == null) {
        policy = FunctionCalls.policyFor(response.getAppClass());
      }
      for (MapOutput output : response.getOutputsList()) {
        returned.set(Math.toIntExact(output.getIndex() - from));
      }
      page.addAll(response.getOutputsList());
      moveTo(response.getSettledTo());
      if (!page.isEmpty() || from >= total) {
        return;
      }
      if (response.getExpired()) {
        throw PublicApi.failure(Failure.OUTPUT_EXPIRED, "a result of map " + mapId + " past input " + from
            + " is no longer kept: results are retained for a limited time after they finish (7 days unless the"
            + " server says otherwise)");
      }
      pause = MapResults.pause(pause, mapId);
    }
  }

  /** Starts the window at {@code settledTo}: every input before it has been returned. */
  private void moveTo(long settledTo) {
    if (settledTo > from) {
      returned = returned.get(Math.toIntExact(settledTo - from), Math.max(returned.length(),
          Math.toIntExact(settledTo - from)));
      from = settledTo;
    }
  }

  private GetMapResultsResponse ask() {
    GetMapResultsRequest request = GetMapResultsRequest.newBuilder().setMapId(mapId).setFromIndex(from)
        .setLimit(MapResults.PAGE).setUnordered(true).setReturned(ByteString.copyFrom(returned.toByteArray()))
        .build();
    try {
      return connection.retry().call("get the results of map " + mapId,
          () -> connection.blocking().getMapResults(request));
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "get the results of map " + mapId);
    }
  }
}
