package dev.shoal.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir
  Path dir;

  @Test
  void theEmbeddedPostgresqlWritesEachCommitToDiskBeforeItReturns() throws Exception {
    try (Database database = Database.open(Optional.empty(), Optional.empty(), dir.resolve("postgres"))) {
      try (Connection connection = database.embedded().orElseThrow().getPostgresDatabase().getConnection()) {
        assertThat(setting(connection, "fsync")).isEqualTo("on");
        assertThat(setting(connection, "synchronous_commit")).isEqualTo("on");
        assertThat(setting(connection, "full_page_writes")).isEqualTo("on");
      }
    }
  }

  private static String setting(Connection connection, String name) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SHOW " + name)) {
      assertThat(row.next()).isTrue();
      return row.getString(1);
    }
  }
}
