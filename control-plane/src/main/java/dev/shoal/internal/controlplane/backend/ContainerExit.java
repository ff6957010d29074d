package dev.shoal.internal.controlplane.backend;

/**
 * How a container ended, as its backend tells it. The backend alone knows what its exit codes and platform events
 * mean, so it names the cause; the control plane decides from the cause, never from a code, whether the end says
 * something about the function's code (an exit of its own before it was ready) or only about the world around it
 * (a signal from outside, the OOM killer, an eviction), which must not count against the function.
 *
 * @param cause how it ended
 * @param exitCode the process's exit code, or -1 where there is none
 * @param reason why, in a few words for the app's log, such as {@code OOMKilled}; empty when the backend knows no
 *     more than the cause and the code
 * @param detail what the backend knows of why, for the control plane's log, such as the last lines the container
 *     wrote to stderr
 */
public record ContainerExit(Cause cause, int exitCode, String reason, String detail) {
  /** A process's exit status above this is 128 plus the number of the signal that ended it. */
  private static final int SIGNALLED = 128;
  /** SIGABRT: a JVM that crashes aborts itself, so this signal is the container's own doing. */
  private static final int SIGABRT = 6;

  /** How a container ended: a closed set, which the control plane's start-up rules cover case by case. */
  public enum Cause {
    /** It exited by itself, with its exit code: 0 when it stopped cleanly, otherwise a failure of its own. */
    EXITED,
    /** Its backend ended it because the control plane asked: a kill, or a container whose connection ended. */
    STOPPED,
    /** Something outside Shoal ended it: a signal such as {@code kill -9}, a pod that someone deleted. */
    KILLED,
    /** The system ended it for the memory it used: the OOM killer, Kubernetes' {@code OOMKilled}, a full heap. */
    OUT_OF_MEMORY,
    /** Its platform took its place away: a Kubernetes eviction or preemption, a node that shut down. */
    EVICTED,
    /** The backend could not start it at all. */
    NOT_STARTED
  }

  public ContainerExit {
    if (cause == null) {
      throw new IllegalArgumentException("a container exit needs a cause");
    }
    reason = reason == null ? "" : reason;
    detail = detail == null ? "" : detail;
  }

  /** A container that exited by itself with {@code exitCode}. */
  public static ContainerExit exited(int exitCode, String detail) {
    return new ContainerExit(Cause.EXITED, exitCode, "", detail);
  }

  /** A container its backend ended because the control plane asked. */
  public static ContainerExit stopped(int exitCode, String detail) {
    return new ContainerExit(Cause.STOPPED, exitCode, "", detail);
  }

  /** A container its backend could not start. */
  public static ContainerExit notStarted(String why) {
    return new ContainerExit(Cause.NOT_STARTED, -1, "", why);
  }

  /**
   * How a process that its backend did not end ended, by its exit status: above 128 a signal ended it, from
   * outside (SIGKILL is 137, SIGTERM 143), except SIGABRT (134), which a JVM raises itself when it crashes.
   */
  public static Cause causeOfProcessStatus(int status) {
    return status > SIGNALLED && status != SIGNALLED + SIGABRT ? Cause.KILLED : Cause.EXITED;
  }

  /** Whether the container ended of its own accord with an error: what counts against a container's start. */
  public boolean failedByItself() {
    return cause == Cause.NOT_STARTED || (cause == Cause.EXITED && exitCode != 0);
  }
}
