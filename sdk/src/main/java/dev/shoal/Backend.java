package dev.shoal;

/** What a container is on the embedded engine. */
public enum Backend {
  /** Each container is its own JVM process: real isolation, and a timeout can kill it. The default. */
  PROCESSES,
  /** Each container is a set of threads in the caller's JVM: fast to start, for tests and debugging. */
  THREADS
}
