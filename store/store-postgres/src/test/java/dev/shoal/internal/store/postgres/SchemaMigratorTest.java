package dev.shoal.internal.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.store.postgres.SchemaMigrator.Migration;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import dev.shoal.internal.store.StoredCall;
import org.junit.jupiter.api.Test;

/** The schema migrations: applied in order, once, all or none, and never over a newer schema. */
class SchemaMigratorTest {
  private DataSource dataSource;

  @BeforeEach
  void freshSchema() {
    dataSource = TestDatabase.freshSchema();
  }

  @Test
  void theStoresMigrationsCreateItsTablesAndRecordTheirVersions() throws SQLException {
    assertThat(migrate(SchemaMigrator.ofStore())).containsExactly(1, 2, 3, 4, 5, 6, 7);

    assertThat(strings("SELECT version || ' ' || description FROM shoal_schema_version ORDER BY version"))
        .containsExactly("1 initial", "2 idempotency_keys", "3 payload_blobs", "4 secrets",
            "5 containers", "6 dashboard_history", "7 call_ids_compared_bytewise");
    assertThat(strings("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        + " ORDER BY table_name"))
        .containsExactly("shoal_app", "shoal_call", "shoal_container", "shoal_function_failure",
            "shoal_function_point", "shoal_map", "shoal_schema_version", "shoal_secret");
  }

  @Test
  void migratingTwiceAppliesNothingTheSecondTime() throws SQLException {
    migrate(SchemaMigrator.ofStore());

    assertThat(migrate(SchemaMigrator.ofStore())).isEmpty();
    assertThat(strings("SELECT version::text FROM shoal_schema_version ORDER BY version")).containsExactly("1", "2", "3", "4", "5", "6", "7");
  }

  @Test
  void callsStoredBeforeBlobsReadBackAsInlineArgumentsOfTheFirstCodec() throws SQLException {
    migrate(new SchemaMigrator(List.of(SchemaMigrator.load("V1__initial.sql"))));
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.executeUpdate("INSERT INTO shoal_call (call_id, app_id, function_id, input_index, args, state, attempt,"
          + " created_at) VALUES ('old', 'app-1', 'fn', 0, '\\x0304', 'PENDING', 1, now())");
    }

    assertThat(migrate(SchemaMigrator.ofStore())).containsExactly(2, 3, 4, 5, 6, 7);

    try (PostgresStore store = new PostgresStore(dataSource, 1)) {
      StoredCall old = store.call("old").orElseThrow();
      assertThat(old.args()).containsExactly(3, 4);
      assertThat(old.argsCodec()).isEqualTo(StoredCall.FIRST_CODEC);
      assertThat(old.argsBlob()).isNull();
      assertThat(old.resultBlob()).isNull();
      assertThat(old.idempotencyKey()).isNull();
      assertThat(store.blobsInUse()).isEmpty();
    }
  }

  @Test
  void laterMigrationsApplyInOrderOnTopOfEarlierOnes() throws SQLException {
    Migration first = new Migration(1, "create", "CREATE TABLE t (a integer)");
    Migration second = new Migration(2, "add_b", "ALTER TABLE t ADD COLUMN b integer");
    Migration third = new Migration(3, "fill", "INSERT INTO t VALUES (1, 2)");
    migrate(new SchemaMigrator(List.of(first)));

    assertThat(migrate(new SchemaMigrator(List.of(first, second, third)))).containsExactly(2, 3);
    assertThat(strings("SELECT a || ',' || b FROM t")).containsExactly("1,2");
  }

  @Test
  void aFailingMigrationLeavesTheSchemaAsItWas() throws SQLException {
    Migration good = new Migration(1, "create", "CREATE TABLE t (a integer)");
    Migration bad = new Migration(2, "broken", "ALTER TABLE missing ADD COLUMN b integer");

    assertThatThrownBy(() -> migrate(new SchemaMigrator(List.of(good, bad)))).isInstanceOf(SQLException.class);

    assertThat(strings("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"))
        .isEmpty();
  }

  @Test
  void aSchemaNewerThanTheBuildIsRefused() throws SQLException {
    Migration first = new Migration(1, "create", "CREATE TABLE t (a integer)");
    Migration second = new Migration(2, "add_b", "ALTER TABLE t ADD COLUMN b integer");
    migrate(new SchemaMigrator(List.of(first, second)));

    assertThatThrownBy(() -> migrate(new SchemaMigrator(List.of(first))))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("newer than this build knows");
  }

  @Test
  void migrationsOutOfOrderAreRejected() {
    List<Migration> outOfOrder = List.of(new Migration(2, "b", "SELECT 1"), new Migration(1, "a", "SELECT 1"));

    assertThatThrownBy(() -> new SchemaMigrator(outOfOrder)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyMigrationFileIsListedInOrder() throws IOException, URISyntaxException {
    Path folder = Path.of(SchemaMigrator.class.getResource(SchemaMigrator.MIGRATIONS_FOLDER).toURI());
    List<String> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files = listing.map(path -> path.getFileName().toString()).toList();
    }

    assertThat(SchemaMigrator.MIGRATION_FILES).containsExactlyInAnyOrderElementsOf(files);
    List<Integer> versions = SchemaMigrator.MIGRATION_FILES.stream()
        .map(SchemaMigrator::load)
        .map(Migration::version)
        .toList();
    assertThat(versions).isSorted().doesNotHaveDuplicates();
  }

  /** Runs a migrator in a transaction of its own and commits, as the store does when it opens. */
  private List<Integer> migrate(SchemaMigrator migrator) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        List<Integer> applied = migrator.migrate(connection);
        connection.commit();
        return applied;
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  private List<String> strings(String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    }
  }
}
