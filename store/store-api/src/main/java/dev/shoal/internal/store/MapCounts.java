package dev.shoal.internal.store;

/** How many inputs of a detached map are in each state. */
public record MapCounts(long pending, long succeeded, long failed, long cancelled) {
  public long total() {
    return pending + succeeded + failed + cancelled;
  }
}
