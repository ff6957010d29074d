package dev.shoal.internal.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * A runner of units of work, each in its own transaction that is committed before the runner returns.
 *
 * <p>Batches that update the same calls from several threads can deadlock, because PostgreSQL locks the rows of
 * an {@code UPDATE ... FROM} in whatever order its plan visits them. The server then aborts one transaction,
 * which changed nothing, so the runner tries it again; the work of every method of the store is safe to repeat
 * after such an abort.
 */
final class Transactions {
  /** A unit of work on a connection whose transaction the runner owns; it must not commit or roll back. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** A unit of work that returns nothing. */
  @FunctionalInterface
  interface VoidWork {
    void run(Connection connection) throws SQLException;
  }

  private static final int MAX_TRIES = 8;
  private static final String UNIQUE_VIOLATION = "23505";
  private static final Set<String> WORTH_RETRYING = Set.of(
      "40001", // serialization_failure
      "40P01"); // deadlock_detected

  private final ConnectionPool pool;

  Transactions(ConnectionPool pool) {
    this.pool = pool;
  }

  /**
   * Runs {@code work} in a transaction and commits it.
   *
   * @throws IllegalArgumentException if the work would have stored a second row with the same key
   * @throws PostgresStoreException if the database failed otherwise; nothing of the work was kept
   */
  <T> T run(Work<T> work) {
    for (int tries = 1; ; tries++) {
      try {
        return once(work);
      } catch (SQLException e) {
        if (WORTH_RETRYING.contains(e.getSQLState()) && tries < MAX_TRIES) {
          pauseBeforeTry(tries);
          continue;
        }
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
        throw new PostgresStoreException("the state store failed: " + e.getMessage(), e);
      }
    }
  }

  /** Runs {@code work} in a transaction and commits it, for work that returns nothing. */
  void runVoid(VoidWork work) {
    run(connection -> {
      work.run(connection);
      return null;
    });
  }

  private <T> T once(Work<T> work) throws SQLException {
    Connection connection = pool.borrow();
    boolean broken = false;
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      broken = rollBack(connection) || isConnectionFailure(e);
      throw e;
    } finally {
      pool.release(connection, broken);
    }
  }

  /** Rolls back after a failure, and says whether the connection should be thrown away. */
  private static boolean rollBack(Connection connection) {
    try {
      connection.rollback();
      return false;
    } catch (SQLException e) {
      return true;
    }
  }

  private static boolean isConnectionFailure(Exception e) {
    // Class 08 is "connection exception": the connection may be half-closed, so it is not reused.
    return e instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08");
  }

  private static void pauseBeforeTry(int tries) {
    // A short, growing, jittered pause lets the transaction that won the deadlock finish before this one retries.
    long millis = (long) (Math.random() * 5 * tries) + 1;
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PostgresStoreException("interrupted while retrying a transaction", e);
    }
  }
}
