package dev.shoal.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.protocol.v1.LogEntry;
import dev.shoal.protocol.v1.LogSource;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void renderShowsDoneOfTotalRateFailuresAndContainers() {
    assertThat(ProgressBar.render("map square", 50, 200, 3, 4, 2.0))
        .isEqualTo("map square [=======>                      ] 50/200 · 25.0/s · 3 failed · 4 containers");
    assertThat(ProgressBar.render("map square", 200, 200, 0, 1, 4.0))
        .isEqualTo("map square [==============================] 200/200 · 50.0/s · 1 container");
  }

  @Test
  void renderWithoutATotalShowsTheCountOnly() {
    assertThat(ProgressBar.render("map square", 12, -1, 0, -1, 0)).isEqualTo("map square 12 · 0.0/s");
  }

  @Test
  void aBarIsNotDrawnWhenOutputIsCaptured() throws Exception {
    try (AutoCloseable capture = OutputSink.capture(line -> { })) {
      assertThat(OutputSink.drawsProgress()).isFalse();
    }
  }

  @Test
  void logLinesArePrefixedWithFunctionContainerAndInput() {
    LogEntry.Builder e = LogEntry.newBuilder().setFunction("square").setContainerId("ct-3kTMd9PqzR1bXw0aLuH2Vn")
        .setText("hello");
    assertThat(LogPrinter.format(e.setInputId("fc-1-7").setSource(LogSource.STDOUT).build()))
        .isEqualTo("[square ct-3kTMd9 fc-1-7] hello");
    assertThat(LogPrinter.format(e.setSource(LogSource.STDERR).build())).isEqualTo("[square ct-3kTMd9 fc-1-7 stderr] hello");
    assertThat(LogPrinter.format(e.clearInputId().setSource(LogSource.SYSTEM).build())).isEqualTo("[square ct-3kTMd9] hello");
  }
}
