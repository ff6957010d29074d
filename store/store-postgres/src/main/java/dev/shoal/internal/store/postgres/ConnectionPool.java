package dev.shoal.internal.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * A bounded pool of JDBC connections, each kept out of auto-commit so that callers commit explicitly.
 *
 * <p>The store needs only a few connections, since the control plane writes in batches, so this small pool
 * stands in for a pooling library: at most {@code maxConnections} are open or lent at once, idle ones are
 * reused newest first, and one that sat idle for a while is checked before it is lent again, because the server
 * may have restarted or closed it in the meantime.
 */
final class ConnectionPool implements AutoCloseable {
  private static final Duration CHECK_AFTER_IDLE = Duration.ofSeconds(30);
  private static final int CHECK_TIMEOUT_SECONDS = 2;

  private final DataSource dataSource;
  private final Semaphore permits;
  private final Duration borrowTimeout;
  private final Deque<Idle> idle = new ArrayDeque<>();
  private boolean closed;

  private record Idle(Connection connection, long sinceNanos) {}

  ConnectionPool(DataSource dataSource, int maxConnections, Duration borrowTimeout) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("a pool needs at least one connection, was " + maxConnections);
    }
    this.dataSource = dataSource;
    this.permits = new Semaphore(maxConnections, true);
    this.borrowTimeout = borrowTimeout;
  }

  /** Lends a connection, waiting up to the borrow timeout for one to be free; give it back with {@link #release}. */
  Connection borrow() throws SQLException {
    try {
      if (!permits.tryAcquire(borrowTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new SQLException("no database connection became free within " + borrowTimeout, "08001");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a database connection", "08001", e);
    }
    try {
      Connection connection = reuseIdle();
      return connection != null ? connection : open();
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  /**
   * Takes back a lent connection. One that failed in a way that may have broken it is closed rather than kept,
   * and so is every connection once the pool is closed.
   */
  void release(Connection connection, boolean broken) {
    try {
      boolean keep = !broken;
      synchronized (this) {
        if (keep && !closed) {
          idle.push(new Idle(connection, System.nanoTime()));
          return;
        }
      }
      closeQuietly(connection);
    } finally {
      permits.release();
    }
  }

  private Connection reuseIdle() {
    while (true) {
      Idle candidate;
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException("the store is closed");
        }
        candidate = idle.poll();
      }
      if (candidate == null) {
        return null;
      }
      if (System.nanoTime() - candidate.sinceNanos() < CHECK_AFTER_IDLE.toNanos() || isValid(candidate.connection())) {
        return candidate.connection();
      }
      closeQuietly(candidate.connection());
    }
  }

  private Connection open() throws SQLException {
    Connection connection = dataSource.getConnection();
    try {
      connection.setAutoCommit(false);
      return connection;
    } catch (SQLException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private static boolean isValid(Connection connection) {
    try {
      return connection.isValid(CHECK_TIMEOUT_SECONDS);
    } catch (SQLException e) {
      return false;
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // The connection is being thrown away, so a failure to close it cleanly changes nothing for the caller.
    }
  }

  /** Closes the idle connections now, and lent ones as they come back. */
  @Override
  public void close() {
    Deque<Idle> toClose;
    synchronized (this) {
      closed = true;
      toClose = new ArrayDeque<>(idle);
      idle.clear();
    }
    toClose.forEach(each -> closeQuietly(each.connection()));
  }
}
