package dev.shoal.internal.runtime;

/**
 * Why a container cannot serve its function, said to the control plane as the container's start-up failure; the
 * cause, if any, is what went wrong underneath.
 */
final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
