package dev.shoal;

import dev.shoal.internal.client.PublicApi;

/** What the SDK's internals may make of the public package: its exceptions, and a volume's settings. */
final class PublicApiBridge extends PublicApi {
  @Override
  protected ShoalException exception(Failure kind, String message, Throwable cause) {
    return switch (kind) {
      case GENERAL -> new ShoalException(message, cause);
      case NOT_FOUND -> new NotFoundException(message, cause);
      case INVALID_OPTION -> new InvalidOptionException(message, cause);
      case UNAUTHENTICATED -> new UnauthenticatedException(message, cause);
      case CANCELLED -> new CancelledException(message, cause);
      case FUNCTION_TIMEOUT -> new FunctionTimeoutException(message, cause);
      case CALL_TIMEOUT -> new CallTimeoutException(message, cause);
      case OUTPUT_EXPIRED -> new OutputExpiredException(message, cause);
    };
  }

  @Override
  protected ShoalException remoteException(String type, String message, Throwable trace) {
    return new RemoteException(type, message, (RemoteException.RemoteStackTrace) trace);
  }

  @Override
  protected Throwable remoteStackTrace(String type, String message, StackTraceElement[] frames, Throwable cause) {
    return new RemoteException.RemoteStackTrace(type, message, frames, (RemoteException.RemoteStackTrace) cause);
  }

  @Override
  protected boolean volumeCreateIfMissing(Volume volume) {
    return volume.createIfMissing();
  }

  @Override
  protected java.util.Map<String, String> valuesOf(Secret secret) {
    return secret.values();
  }
}
