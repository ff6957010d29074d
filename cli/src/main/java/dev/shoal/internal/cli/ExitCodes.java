package dev.shoal.internal.cli;

import dev.shoal.NotFoundException;
import dev.shoal.OutputExpiredException;
import dev.shoal.UnauthenticatedException;
import dev.shoal.internal.client.ShoalConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.UncheckedIOException;

/**
 * The exit codes scripts can rely on (listed in {@code shoal --help}), and the message a failure shows. Both
 * depend only on the exception, so the CLI and the child JVMs it starts ({@link DeployMain}) agree.
 */
final class ExitCodes {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int NOT_FOUND = 3;
  static final int UNREACHABLE = 4;

  private ExitCodes() {}

  static int of(Throwable e) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    if (e instanceof UnauthenticatedException) {
      return UNREACHABLE;
    }
    if (e instanceof NotFoundException || e instanceof OutputExpiredException) {
      return NOT_FOUND;
    }
    StatusRuntimeException rpc = rpcCause(e);
    if (rpc != null) {
      return switch (rpc.getStatus().getCode()) {
        case UNAUTHENTICATED, UNAVAILABLE, DEADLINE_EXCEEDED -> UNREACHABLE;
        case NOT_FOUND -> NOT_FOUND;
        default -> FAILED;
      };
    }
    return FAILED;
  }

  /** What to tell the user: the failure, and for an unreachable server what to check. */
  static String message(Throwable e) {
    StatusRuntimeException rpc = e instanceof CliException ? null : rpcCause(e);
    if (rpc != null) {
      Status.Code code = rpc.getStatus().getCode();
      if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
        return unreachable(rpc);
      }
      // The engine's own words, without gRPC's "NOT_FOUND: " in front, which tells a user nothing the exit code
      // does not; a message of the SDK's own, which wraps it, says more and is kept.
      String why = rpc.getStatus().getDescription();
      if (why != null && (e == rpc || e.getMessage() == null || e.getMessage().contains(rpc.getMessage()))) {
        return why;
      }
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = e.getClass().getName();
    }
    // An UncheckedIOException says what it could not do; its cause says why (address in use, no such file).
    if (e instanceof UncheckedIOException && e.getCause().getMessage() != null) {
      message += ": " + e.getCause().getMessage();
    }
    return message;
  }

  private static String unreachable(StatusRuntimeException rpc) {
    String server;
    try {
      server = ShoalConfig.load().server().orElse("(none configured)");
    } catch (RuntimeException e) {
      server = "(the configuration does not parse: " + e.getMessage() + ")";
    }
    String why = rpc.getStatus().getDescription() != null ? rpc.getStatus().getDescription()
        : rpc.getStatus().getCode().toString();
    return "cannot reach the Shoal server at " + server + " (" + why + "): start it with `shoal server`, or"
        + " check which server this uses with `shoal profile current`";
  }

  private static StatusRuntimeException rpcCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s) {
        return s;
      }
    }
    return null;
  }
}
