package dev.shoal.testing;

import java.util.Optional;

/**
 * One input of a call as the engine saw it.
 *
 * @param index its place among the call's inputs, from 0
 * @param attempts how many times a container took it: 1 when its first attempt settled it
 * @param state pending, running, retrying, succeeded, failed, cancelled or timed_out
 * @param errorType the class name of its last failure, or empty when no attempt failed
 */
public record InputTrace(long index, int attempts, String state, String errorType) {

  /** The class name of the input's last failure, if an attempt failed. */
  public Optional<String> failure() {
    return errorType.isEmpty() ? Optional.empty() : Optional.of(errorType);
  }
}
