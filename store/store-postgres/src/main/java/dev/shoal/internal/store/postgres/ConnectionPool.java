package dev.shoal.internal.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The store's JDBC connections: a HikariCP pool of at most {@code maxConnections}, each kept out of auto-commit
 * so that callers commit explicitly.
 *
 * <p>The store needs only a few connections, since the control plane writes in batches. HikariCP adds what a
 * long-running server wants of them beyond that: a connection is retired after {@link #MAX_LIFETIME} (before a
 * database or a proxy in between drops it), one lent for longer than {@link #LEAK_THRESHOLD} is reported with the
 * stack that borrowed it, and one that sat idle is checked before it is lent again, because the server may have
 * restarted or closed it in the meantime.
 */
final class ConnectionPool implements AutoCloseable {
  /** Shorter than PostgreSQL's and most proxies' idle limits; HikariCP's own default. */
  static final Duration MAX_LIFETIME = Duration.ofMinutes(30);
  /**
   * Every method of the store is one short transaction; the longest, an expiry chunk of 10,000 calls, takes well
   * under a second. A connection held for a minute has been forgotten, or its transaction waits on a lock.
   */
  static final Duration LEAK_THRESHOLD = Duration.ofMinutes(1);
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

  private final HikariDataSource pool;

  ConnectionPool(DataSource dataSource, int maxConnections, Duration borrowTimeout) {
    this(dataSource, maxConnections, borrowTimeout, LEAK_THRESHOLD);
  }

  /** A pool that reports a connection lent for longer than {@code leakThreshold}; tests shorten it. */
  ConnectionPool(DataSource dataSource, int maxConnections, Duration borrowTimeout, Duration leakThreshold) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("a pool needs at least one connection, was " + maxConnections);
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("shoal-store");
    config.setDataSource(dataSource);
    config.setAutoCommit(false);
    config.setMaximumPoolSize(maxConnections);
    // Connections are opened as they are needed, as before, rather than all at start: a store on a shared database
    // holds only what its load asks for, and idle ones are closed after HikariCP's idle timeout (10 minutes).
    config.setMinimumIdle(0);
    config.setConnectionTimeout(borrowTimeout.toMillis());
    config.setValidationTimeout(CHECK_TIMEOUT.toMillis());
    config.setMaxLifetime(MAX_LIFETIME.toMillis());
    config.setLeakDetectionThreshold(leakThreshold.toMillis());
    try {
      // HikariCP connects once here, so a database that cannot be reached fails the store's opening at once.
      pool = new HikariDataSource(config);
    } catch (HikariPool.PoolInitializationException e) {
      throw new PostgresStoreException("cannot connect to the database: "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
    }
  }

  /** Lends a connection, waiting up to the borrow timeout for one to be free; give it back with {@link #release}. */
  Connection borrow() throws SQLException {
    if (pool.isClosed()) {
      throw new IllegalStateException("the store is closed");
    }
    return pool.getConnection();
  }

  /**
   * Takes back a lent connection. One that failed in a way that may have broken it is closed rather than kept.
   * HikariCP rolls back whatever a kept connection left uncommitted.
   */
  void release(Connection connection, boolean broken) {
    if (broken) {
      pool.evictConnection(connection);
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing a pooled connection only hands it back; if even that fails, the pool drops it by itself.
    }
  }

  /** Closes the idle connections now, and lent ones as they come back. */
  @Override
  public void close() {
    pool.close();
  }
}
