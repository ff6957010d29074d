package dev.shoal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shows what remote code prints, and the lifecycle of its containers, on this process's stderr: for code that
 * does not build the run itself, as Modal's {@code enable_output()} does.
 *
 * <pre>{@code
 * try (Output output = Output.enable(); AppRun run = app.run()) {
 *   square.map(inputs).forEach(System.out::println);   // containers' prints appear, prefixed, on stderr
 * }
 * }</pre>
 *
 * <p>Every run started while output is enabled shows its output, as if it had been started with
 * {@code RunOptions.builder().output(true)}; a run started before is not affected. Each line is prefixed with the
 * function, the container and the input it came from: {@code [square ct-3kTMd9 fc-…-7] hello}. While output is
 * on and stderr is a terminal, a long {@code map} or {@code spawnMap} draws a progress bar.
 */
public final class Output implements AutoCloseable {
  private static final AtomicInteger ENABLED = new AtomicInteger();

  private final AtomicBoolean closed = new AtomicBoolean();

  private Output() {}

  /** Turns output on until the returned handle is closed. Handles nest: output is on while any is open. */
  public static Output enable() {
    ENABLED.incrementAndGet();
    return new Output();
  }

  /** Whether some handle from {@link #enable()} is open. */
  static boolean isEnabled() {
    return ENABLED.get() > 0;
  }

  /** Turns output off again, unless another handle keeps it on; closing twice does nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      ENABLED.decrementAndGet();
    }
  }
}
