package dev.shoal.internal.store.postgres;

/** A failure of the PostgreSQL state store that the caller cannot correct, such as a lost database connection. */
public final class PostgresStoreException extends RuntimeException {
  PostgresStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
