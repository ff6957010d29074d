package dev.shoal.internal.cli;

/** A failure the CLI explains itself, with the exit code scripts see. */
final class CliException extends RuntimeException {
  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  static CliException failed(String message) {
    return new CliException(ExitCodes.FAILED, message);
  }

  static CliException notFound(String message) {
    return new CliException(ExitCodes.NOT_FOUND, message);
  }

  int exitCode() {
    return exitCode;
  }
}
