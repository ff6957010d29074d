package dev.shoal;

import dev.shoal.internal.client.DetachedMap;
import java.util.regex.Pattern;

/**
 * A detached map started by {@code spawnMap}: its inputs are stored on the engine, and it runs whether or not
 * its caller stays. Its id is valid in any process that reaches the same engine.
 */
public final class SpawnedMap {
  private static final Pattern ID = Pattern.compile("fc-[A-Za-z0-9]{1,64}");

  private final DetachedMap map;

  SpawnedMap(DetachedMap map) {
    this.map = map;
  }

  /** A handle on the detached map with this id. */
  public static SpawnedMap fromId(String id) {
    Checks.notNull("map id", id);
    if (!ID.matcher(id).matches()) {
      throw new InvalidOptionException("a map id looks like fc-…, was '" + id + "'");
    }
    return new SpawnedMap(DetachedMap.of(id));
  }

  public String id() {
    return map.id();
  }

  /** How far the map has come; asked again while the engine cannot be reached, up to the retry deadline. */
  public MapProgress progress() {
    return map.progress();
  }

  /**
   * Each input's {@link Result} in input order, read back from the engine by the map's id, from any process that
   * reaches it, for as long as results are retained (as a spawned call's). Iterating waits for inputs that have not
   * finished; memory stays bounded for any map size, as results are read a page at a time. Choose the result type
   * at the call site: {@code Iterable<Result<Integer>> results = map.results();}
   *
   * @throws OutputExpiredException (from the iterator) once a result is no longer retained
   */
  public <O> Iterable<Result<O>> results() {
    return map::results;
  }

  /**
   * Each input's {@link Result} as soon as it has finished, with the input's index, so that a slow input does not
   * hold back the results of those after it, as {@link #results()} in input order would. Each input comes once.
   * Memory stays bounded for any map size: the engine looks at a window of 1,000 inputs from the first one not yet
   * returned, so an input that runs very long holds back only the inputs more than a window past it.
   * Choose the result type at the call site:
   * {@code for (SpawnedMap.IndexedResult<Integer> r : map.<Integer>unorderedResults()) { … r.index() … }}
   *
   * @throws OutputExpiredException (from the iterator) once a result is no longer retained
   */
  public <O> Iterable<IndexedResult<O>> unorderedResults() {
    return map::unorderedResults;
  }

  /** The result of the input at {@code index} (counted from 0, in the order the inputs were given). */
  public record IndexedResult<O>(long index, Result<O> result) {}

  /** Cancels every input that has not finished; running ones are stopped as {@link FunctionCall#cancel()} does. */
  public void cancel() {
    map.cancel();
  }

  @Override
  public String toString() {
    return "SpawnedMap[" + map.id() + "]";
  }
}
