package dev.shoal.internal.controlplane;

/**
 * Why the control plane's core refuses a request: a {@link Kind} that each edge translates to its own status (the
 * gRPC services in {@link CoreStatus}, the dashboard to HTTP), and a message that names the problem and the rule.
 * The core throws nothing else on purpose; any other exception is a fault.
 */
public final class CoreException extends RuntimeException {
  /**
   * The closed set of refusals. Each carries its canonical status code ({@code google.rpc.Code}), the number the
   * protocol's own error fields hold (a spawn's or an await's outcome), so that those fields say the same as a
   * refused call would.
   */
  public enum Kind {
    /** What was named does not exist here, or no longer. */
    NOT_FOUND(5),
    /** The request breaks a rule whatever the state: a bad name, count or key. */
    INVALID_ARGUMENT(3),
    /** The caller may not do this. */
    PERMISSION_DENIED(7),
    /** The request is sound but the engine is not in a state to take it (a blob not uploaded, say). */
    FAILED_PRECONDITION(9),
    /** Try again: the engine is restoring, or could not store what was asked. */
    UNAVAILABLE(14),
    /** A limit of the engine is reached. */
    RESOURCE_EXHAUSTED(8),
    /** What the engine stored cannot be read back. */
    DATA_LOSS(15),
    /** This engine does not offer what was asked. */
    UNIMPLEMENTED(12),
    /** What was to be created exists already. */
    ALREADY_EXISTS(6);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    /** The canonical status code of this kind. */
    public int code() {
      return code;
    }
  }

  private final Kind kind;

  public CoreException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public CoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  static CoreException notFound(String message) {
    return new CoreException(Kind.NOT_FOUND, message);
  }

  static CoreException invalid(String message) {
    return new CoreException(Kind.INVALID_ARGUMENT, message);
  }

  static CoreException failedPrecondition(String message) {
    return new CoreException(Kind.FAILED_PRECONDITION, message);
  }

  static CoreException unavailable(String message) {
    return new CoreException(Kind.UNAVAILABLE, message);
  }
}
