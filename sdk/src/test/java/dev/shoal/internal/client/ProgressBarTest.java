package dev.shoal.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.protocol.v1.LogEntry;
import dev.shoal.protocol.v1.LogSource;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
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
