package dev.shoal.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrefetchWindowTest {
  @Test
  void aContainerThatHasRunNothingAsksForWhatItsWorkersRun() {
    assertThat(new PrefetchWindow(4, 1).size()).isEqualTo(4);
  }

  @Test
  void fastFunctionsPrefetchAboutFiveMillisecondsOfWorkUpToTheLimit() {
    PrefetchWindow tenMicros = new PrefetchWindow(2, 1);
    tenMicros.finished(1, 10_000);
    assertThat(tenMicros.size()).isEqualTo(2 + 500);

    PrefetchWindow oneMicro = new PrefetchWindow(2, 1);
    oneMicro.finished(1, 1_000);
    assertThat(oneMicro.size()).isEqualTo(2 + 512);
  }

  @Test
  void slowFunctionsPrefetchNothing() {
    PrefetchWindow window = new PrefetchWindow(3, 1);
    window.finished(1, 1_000_000_000L);
    assertThat(window.size()).isEqualTo(3);
  }

  @Test
  void batchedFunctionsKeepAFullBatchPerWorkerWaiting() {
    PrefetchWindow window = new PrefetchWindow(2, 8);
    assertThat(window.size()).isEqualTo(16 + 16);
    window.finished(8, 8_000_000_000L);
    assertThat(window.size()).isEqualTo(16 + 16);
  }

  @Test
  void aBatchCountsEachOfItsInputs() {
    PrefetchWindow window = new PrefetchWindow(1, 4);
    // Four inputs in 40 µs are 10 µs each: 500 inputs of prefetch, more than the 4 a batch keeps waiting.
    window.finished(4, 40_000);
    assertThat(window.size()).isEqualTo(4 + 500);
  }

  @Test
  void onlyAFunctionThatHasRunAndRunsFastIsFast() {
    assertThat(new PrefetchWindow(1, 1).fast()).isFalse();
    PrefetchWindow quick = new PrefetchWindow(1, 1);
    quick.finished(1, 2_000);
    assertThat(quick.fast()).isTrue();
    PrefetchWindow slow = new PrefetchWindow(1, 1);
    slow.finished(1, 1_000_000);
    assertThat(slow.fast()).isFalse();
  }
}
