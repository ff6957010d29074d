package dev.shoal.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A progress bar's frames over a map's life, on a clock the test moves. */
class ProgressFramesTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long START = 1_000 * SECOND;

  private final AtomicInteger containers = new AtomicInteger();
  private final AtomicInteger asked = new AtomicInteger();
  private final ProgressFrames frames = new ProgressFrames("map square", START, () -> {
    asked.incrementAndGet();
    return containers.get();
  });

  @Test
  void aShortMapShowsNothingAndLeavesNoLine() {
    assertThat(frames.frame(START + SECOND / 2, 10, 10, 0)).isNull();
    assertThat(frames.last(START + SECOND / 2, 10, 10, 0)).isNull();
    assertThat(asked).as("the engine is not asked for a bar never shown").hasValue(0);
  }

  @Test
  void aSizedMapShowsABarThatSaysContainersAreStartingBeforeItsFirstResult() {
    containers.set(3);
    assertThat(frames.frame(START + 2 * SECOND, 0, 400, 0))
        .isEqualTo("map square [>                             ] 0/400 · starting 3 containers · 2s");
  }

  @Test
  void theRateIsTheRecentOneAndTheTimeLeftFollowsIt() {
    containers.set(2);
    frames.frame(START + SECOND, 0, 1_000, 0);
    // Nothing for 10 s while containers start, then 50 inputs a second.
    frames.frame(START + 10 * SECOND, 0, 1_000, 0);
    for (int s = 11; s <= 15; s++) {
      frames.frame(START + s * SECOND, (s - 10) * 50L, 1_000, 0);
    }
    assertThat(frames.frame(START + 16 * SECOND, 300, 1_000, 1))
        .isEqualTo("map square [=========>                    ] 300/1000 · 50.0/s · 1 failed · 2 containers · 16s"
            + " · ETA 14s");
  }

  @Test
  void aLazyStreamShowsACountUntilItsTotalIsKnownThenABar() {
    containers.set(1);
    assertThat(frames.frame(START + 2 * SECOND, 40, -1, 0)).startsWith("map square 40 · ");
    assertThat(frames.frame(START + 3 * SECOND, 80, 100, 0)).startsWith("map square [========================>");
  }

  @Test
  void liveContainersAreAskedAtMostOnceASecond() {
    for (long t = SECOND; t <= 3 * SECOND; t += SECOND / 5) {
      frames.frame(START + t, 0, -1, 0);
    }
    assertThat(asked).hasValue(3);
  }

  @Test
  void anEngineThatCannotSayLeavesTheContainersOut() {
    ProgressFrames failing = new ProgressFrames("map square", START, () -> {
      throw new IllegalStateException("engine gone");
    });
    failing.frame(START + SECOND, 0, -1, 0);
    assertThat(failing.frame(START + 2 * SECOND, 5, -1, 0)).isEqualTo("map square 5 · 5.0/s · 2s");
  }

  @Test
  void theLastLineShowsTheWholeRunsAverageRate() {
    frames.frame(START + 2 * SECOND, 100, 200, 0);
    assertThat(frames.last(START + 4 * SECOND, 200, 200, 0))
        .isEqualTo("map square [==============================] 200/200 · 50.0/s · 4s");
  }
}
