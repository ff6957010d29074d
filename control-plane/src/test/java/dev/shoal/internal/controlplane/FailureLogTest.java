package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.protocol.v1.Failure;
import dev.shoal.protocol.v1.StackFrame;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FailureLogTest {
  private static StackFrame frame(int line) {
    return StackFrame.newBuilder().setClassName("a.B").setMethodName("m").setFileName("B.java")
        .setLineNumber(line).build();
  }

  @Test
  void failureIsRenderedAsAJvmPrintsAnExceptionWithItsCauses() {
    Failure failure = Failure.newBuilder().setType("java.lang.IllegalStateException").setMessage("broke")
        .addFrames(frame(12))
        .setCause(Failure.newBuilder().setType("java.io.IOException").addFrames(frame(-1)))
        .build();

    assertThat(FailureLog.lines("in-1", "fc-1", 2, failure, "no retries left")).containsExactly(
        "input in-1 of call fc-1 failed on attempt 2 (no retries left): java.lang.IllegalStateException: broke",
        "\tat a.B.m(B.java:12)",
        "Caused by: java.io.IOException",
        "\tat a.B.m(B.java)");
  }

  @Test
  void longTraceIsCutWithACountOfTheFramesLeftOut() {
    Failure.Builder deep = Failure.newBuilder().setType("java.lang.StackOverflowError");
    IntStream.range(0, FailureLog.MAX_FRAMES + 5).forEach(i -> deep.addFrames(frame(i)));

    assertThat(FailureLog.lines("in-1", "fc-1", 1, deep.build(), "no retries"))
        .hasSize(1 + FailureLog.MAX_FRAMES + 1)
        .endsWith("\t... 5 more");
  }
}
