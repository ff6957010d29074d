package dev.shoal.internal.store.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runner that brings a database's schema up to date by applying numbered SQL migrations in order.
 *
 * <p>Each migration is a resource named {@code V<n>__<description>.sql}. The versions applied are recorded in
 * {@code shoal_schema_version}, and all missing ones are applied in the caller's transaction, so a failed migration
 * leaves the schema as it was. An advisory lock makes processes that start at the same time wait for each other rather
 * than apply the same migration twice.
 */
final class SchemaMigrator {
  /** The store's migrations, oldest first. A new one is added here as well as to the resource folder. */
  static final List<String> MIGRATION_FILES =
      List.of("V1__initial.sql", "V2__idempotency_keys.sql", "V3__payload_blobs.sql", "V4__secrets.sql",
          "V5__containers.sql", "V6__dashboard_history.sql", "V7__call_ids_compared_bytewise.sql");

  static final String MIGRATIONS_FOLDER = "/dev/shoal/store/postgres/migrations/";

  private static final Pattern FILE_NAME = Pattern.compile("V([1-9][0-9]*)__([A-Za-z0-9_]+)\\.sql");

  // Any fixed number will do, as long as nothing else in the database takes an advisory lock with it.
  private static final long LOCK_KEY = 0x5301_A15C_4E7A_0001L;

  /** One migration: its version, its description, and the SQL that applies it. */
  record Migration(int version, String description, String sql) {}

  private final List<Migration> migrations;

  SchemaMigrator(List<Migration> migrations) {
    for (int i = 1; i < migrations.size(); i++) {
      if (migrations.get(i).version() <= migrations.get(i - 1).version()) {
        throw new IllegalArgumentException("migrations must have increasing versions: " + migrations);
      }
    }
    this.migrations = List.copyOf(migrations);
  }

  /** The migrator with the store's own migrations, read from the class path. */
  static SchemaMigrator ofStore() {
    return new SchemaMigrator(MIGRATION_FILES.stream().map(SchemaMigrator::load).toList());
  }

  /**
   * Applies the migrations the database does not have yet, in the caller's transaction, which the caller commits.
   *
   * @param connection a connection out of auto-commit, so that all the migrations apply or none does
   * @return the versions applied now, oldest first; empty when the schema was already up to date
   * @throws SQLException if a migration failed, or the database has a version this code does not know, which
   *     means a newer build of Shoal migrated it and this one must not write to it
   */
  List<Integer> migrate(Connection connection) throws SQLException {
    if (connection.getAutoCommit()) {
      throw new IllegalArgumentException("migrations need a transaction, so the connection must not auto-commit");
    }
    try (Statement statement = connection.createStatement()) {
      // The lock is held until the caller's transaction ends, so a second process waits and then finds the
      // versions this one recorded.
      statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      statement.execute("""
          CREATE TABLE IF NOT EXISTS shoal_schema_version (
              version     integer     PRIMARY KEY,
              description text        NOT NULL,
              applied_at  timestamptz NOT NULL DEFAULT now()
          )""");
    }
    Set<Integer> present = presentVersions(connection);
    int newestKnown = migrations.isEmpty() ? 0 : migrations.getLast().version();
    for (int version : present) {
      if (version > newestKnown) {
        throw new SQLException("the database schema is at version " + version + ", newer than this build knows ("
            + newestKnown + "); refusing to use it");
      }
    }

    List<Integer> applied = new ArrayList<>();
    for (Migration migration : migrations) {
      if (present.contains(migration.version())) {
        continue;
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute(migration.sql());
      }
      try (PreparedStatement record = connection.prepareStatement(
          "INSERT INTO shoal_schema_version (version, description) VALUES (?, ?)")) {
        record.setInt(1, migration.version());
        record.setString(2, migration.description());
        record.executeUpdate();
      }
      applied.add(migration.version());
    }
    return applied;
  }

  private static Set<Integer> presentVersions(Connection connection) throws SQLException {
    Set<Integer> versions = new TreeSet<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT version FROM shoal_schema_version")) {
      while (rows.next()) {
        versions.add(rows.getInt(1));
      }
    }
    return versions;
  }

  /** Reads a migration from the store's resource folder, taking its version and description from its name. */
  static Migration load(String fileName) {
    Matcher name = FILE_NAME.matcher(fileName);
    if (!name.matches()) {
      throw new IllegalArgumentException("a migration is named V<n>__<description>.sql, not " + fileName);
    }
    try (InputStream in = SchemaMigrator.class.getResourceAsStream(MIGRATIONS_FOLDER + fileName)) {
      if (in == null) {
        throw new IllegalStateException("migration " + fileName + " is missing from the class path");
      }
      return new Migration(Integer.parseInt(name.group(1)), name.group(2),
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read migration " + fileName, e);
    }
  }
}
