package dev.shoal.testing;

import java.util.List;

/**
 * A call a test made (a {@code remote}, a {@code spawn}, a map or a {@code spawnMap}) as the engine saw it.
 *
 * @param app the name of the app whose function was called
 * @param function the function's name; {@code Cls.method} for a method of a Cls
 * @param kind remote, spawn, map or spawn_map
 * @param state pending, running, succeeded, failed or cancelled
 * @param inputs its first 1,000 inputs, in the order they arrived
 */
public record CallTrace(String id, String app, String function, String kind, String state, List<InputTrace> inputs) {

  public CallTrace {
    inputs = List.copyOf(inputs);
  }

  /** How many attempts its inputs took in all: for a {@code remote} or a {@code spawn}, its one input's. */
  public int attempts() {
    return inputs.stream().mapToInt(InputTrace::attempts).sum();
  }
}
