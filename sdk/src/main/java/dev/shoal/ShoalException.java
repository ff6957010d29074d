package dev.shoal;

import dev.shoal.internal.client.PublicApi;

/** The root of every exception Shoal throws; all of them are unchecked. */
public class ShoalException extends RuntimeException {
  static {
    // The SDK's internals make the public exceptions through this bridge; see PublicApi.
    PublicApi.install(new PublicApiBridge());
  }

  ShoalException(String message) {
    super(message);
  }

  ShoalException(String message, Throwable cause) {
    super(message, cause);
  }
}
