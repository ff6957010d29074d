package dev.shoal;

/**
 * How far a detached map has come.
 *
 * @param total the inputs the map was given
 * @param pending inputs waiting for a container
 * @param running inputs a container holds now
 * @param succeeded inputs that finished
 * @param failed inputs that failed or timed out after their retries
 * @param cancelled inputs cancelled before they finished
 */
public record MapProgress(long total, long pending, long running, long succeeded, long failed, long cancelled) {
  /** Whether every input has its outcome. */
  public boolean isDone() {
    return succeeded + failed + cancelled >= total;
  }
}
