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

  /** Cancels every input that has not finished; running ones are stopped as {@link FunctionCall#cancel()} does. */
  public void cancel() {
    map.cancel();
  }

  @Override
  public String toString() {
    return "SpawnedMap[" + map.id() + "]";
  }
}
