package dev.shoal.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class ExitCodesTest {
  @Test
  void mapsRpcFailuresToTheDocumentedCodes() {
    assertThat(ExitCodes.of(Status.UNAUTHENTICATED.asRuntimeException())).isEqualTo(4);
    assertThat(ExitCodes.of(Status.UNAVAILABLE.asRuntimeException())).isEqualTo(4);
    assertThat(ExitCodes.of(new RuntimeException("wrapped", Status.NOT_FOUND.asRuntimeException()))).isEqualTo(3);
    assertThat(ExitCodes.of(Status.INTERNAL.asRuntimeException())).isEqualTo(1);
    assertThat(ExitCodes.of(CliException.notFound("x"))).isEqualTo(3);
    assertThat(ExitCodes.of(new IllegalStateException("x"))).isEqualTo(1);
  }

  @Test
  void anUnauthenticatedMessageIsTheServersOwn() {
    assertThat(ExitCodes.message(Status.UNAUTHENTICATED.withDescription("set SHOAL_TOKEN").asRuntimeException()))
        .isEqualTo("set SHOAL_TOKEN");
  }

  @Test
  void anEngineRefusalIsItsDescriptionWithoutTheGrpcStatusName() {
    assertThat(ExitCodes.message(Status.NOT_FOUND.withDescription("no app named 'nosuchapp' in environment main")
        .asRuntimeException())).isEqualTo("no app named 'nosuchapp' in environment main");
    assertThat(ExitCodes.message(new IllegalStateException("cannot stop app 'x': it is gone",
        Status.NOT_FOUND.withDescription("gone").asRuntimeException()))).isEqualTo("cannot stop app 'x': it is gone");
  }

  @Test
  void anIoFailureSaysWhy() {
    assertThat(ExitCodes.message(new UncheckedIOException("cannot listen on :7700", new IOException("in use"))))
        .isEqualTo("cannot listen on :7700: in use");
  }

  @Test
  void usageErrorsExitWith2WithoutTheWholeUsage() {
    assertThat(ShoalCli.commandLine().execute("no-such-command")).isEqualTo(2);
    assertThat(ShoalCli.commandLine().execute("call", "get", "not-an-id")).isEqualTo(2);
  }
}
