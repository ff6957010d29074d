package dev.shoal.internal.client;

import dev.shoal.Secret;
import dev.shoal.ShoalException;
import dev.shoal.Volume;
import java.util.Map;

/**
 * The few things of the public package that its internals need and that the public API does not offer: making
 * Shoal's exceptions, whose constructors are not public, and reading a volume's settings. The public package
 * installs the one implementation when {@link ShoalException} is initialised, as OkHttp's {@code Internal} does.
 */
public abstract class PublicApi {
  private static volatile PublicApi instance;

  /** The kinds of failure a Shoal exception stands for, each one public exception type. */
  public enum Failure {
    GENERAL, NOT_FOUND, INVALID_OPTION, UNAUTHENTICATED, CANCELLED, FUNCTION_TIMEOUT, CALL_TIMEOUT, OUTPUT_EXPIRED
  }

  /** Called once, by the public package. */
  public static void install(PublicApi api) {
    instance = api;
  }

  static PublicApi get() {
    PublicApi api = instance;
    if (api != null) {
      return api;
    }
    // Internal code may run before any public class has been initialised (a container decoding its first input):
    // initialising ShoalException installs the implementation.
    try {
      Class.forName(ShoalException.class.getName(), true, ShoalException.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the Shoal SDK is incomplete: " + e, e);
    }
    return instance;
  }

  /** A Shoal exception of the given kind. */
  public static ShoalException failure(Failure kind, String message) {
    return get().exception(kind, message, null);
  }

  /** A Shoal exception of the given kind, caused by {@code cause}. */
  public static ShoalException failure(Failure kind, String message, Throwable cause) {
    return get().exception(kind, message, cause);
  }

  /**
   * An exception that user code threw in a container, with its remote stack trace.
   *
   * @param trace the remote trace, made by {@link #remoteTrace}
   */
  public static ShoalException remote(String type, String message, Throwable trace) {
    return get().remoteException(type, message, trace);
  }

  /** A stand-in holding a remote exception's frames, and its cause's (made by this method too), or null. */
  public static Throwable remoteTrace(String type, String message, StackTraceElement[] frames, Throwable cause) {
    return get().remoteStackTrace(type, message, frames, cause);
  }

  /** Whether using {@code volume} creates it when it does not exist. */
  public static boolean createIfMissing(Volume volume) {
    return get().volumeCreateIfMissing(volume);
  }

  /** The values of a secret made from a map; empty for a named one. */
  public static Map<String, String> secretValues(Secret secret) {
    return get().valuesOf(secret);
  }

  protected abstract ShoalException exception(Failure kind, String message, Throwable cause);

  protected abstract ShoalException remoteException(String type, String message, Throwable trace);

  protected abstract Throwable remoteStackTrace(String type, String message, StackTraceElement[] frames,
      Throwable cause);

  protected abstract boolean volumeCreateIfMissing(Volume volume);

  protected abstract Map<String, String> valuesOf(Secret secret);
}
