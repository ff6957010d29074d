package dev.shoal.testing;

import java.time.Instant;

/**
 * A lifecycle event of one container, as the engine logged it.
 *
 * @param function the function (or Cls) whose pool the container belongs to
 * @param text the event as the app's log and the dashboard show it
 */
public record ContainerEvent(Instant time, String function, String containerId, Kind kind, String text) {

  /** What happened to the container. */
  public enum Kind {
    /** The engine asked its backend for the container. */
    STARTING,
    /** The container is ready to take inputs. */
    STARTED,
    /** The container stopped as it was asked to: scaled down, its run stopped, or the engine closed. */
    STOPPED,
    /** The container never became ready. */
    FAILED_TO_START,
    /** The container ended by itself or was killed from outside, after it was ready. */
    CRASHED,
    /** Another note on the container, such as why the engine is killing it. */
    OTHER
  }

  static Kind kindOf(String text) {
    if (text.startsWith("starting container")) {
      return Kind.STARTING;
    }
    if (text.startsWith("container started")) {
      return Kind.STARTED;
    }
    if (text.equals("container stopped")) {
      return Kind.STOPPED;
    }
    if (text.startsWith("container failed to start")) {
      return Kind.FAILED_TO_START;
    }
    if (text.startsWith("container crashed") || text.startsWith("container was killed")) {
      return Kind.CRASHED;
    }
    return Kind.OTHER;
  }
}
