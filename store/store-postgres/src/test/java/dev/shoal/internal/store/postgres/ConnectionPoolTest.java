package dev.shoal.internal.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The store's pool: what HikariCP adds to the hand-written pool it replaced, and the rules the store relies on. */
class ConnectionPoolTest {
  @Test
  void aConnectionHeldPastTheLeakThresholdIsReportedWithTheStackThatBorrowedIt() throws Exception {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Logger leaks = Logger.getLogger("com.zaxxer.hikari.pool.ProxyLeakTask");
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    leaks.addHandler(capture);
    // HikariCP's shortest threshold is two seconds.
    try (ConnectionPool pool = new ConnectionPool(TestDatabase.freshSchema(), 2, Duration.ofSeconds(30),
        Duration.ofSeconds(2))) {
      Connection held = pool.borrow();

      await().atMost(Duration.ofSeconds(60)).until(() -> !records.isEmpty());
      assertThat(records.getFirst().getMessage()).containsIgnoringCase("leak");
      assertThat(records.getFirst().getThrown().getStackTrace())
          .anyMatch(frame -> frame.getMethodName().contains("aConnectionHeldPastTheLeakThreshold"));
      pool.release(held, false);
    } finally {
      leaks.removeHandler(capture);
    }
  }

  @Test
  void aDatabaseThatCannotBeReachedFailsTheStoreAsItOpensNamingTheProblem() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    nowhere.setServerNames(new String[] {"localhost"});
    nowhere.setPortNumbers(new int[] {closedPort});
    nowhere.setDatabaseName("postgres");
    nowhere.setUser("postgres");

    assertThatThrownBy(() -> new PostgresStore(nowhere))
        .isInstanceOf(PostgresStoreException.class)
        .hasMessageContaining("cannot connect to the database")
        .hasMessageContaining(Integer.toString(closedPort));
  }

  @Test
  void aBrokenConnectionIsClosedAndNeverLentAgain() throws Exception {
    try (ConnectionPool pool = new ConnectionPool(TestDatabase.freshSchema(), 1, Duration.ofSeconds(30))) {
      Connection broken = pool.borrow();
      int brokenBackend = broken.unwrap(org.postgresql.PGConnection.class).getBackendPID();
      pool.release(broken, true);

      Connection next = pool.borrow();
      assertThat(next.isValid(2)).isTrue();
      assertThat(next.unwrap(org.postgresql.PGConnection.class).getBackendPID())
          .isNotEqualTo(brokenBackend);
      pool.release(next, false);
    }
  }

  @Test
  void aClosedPoolLendsNothing() throws Exception {
    ConnectionPool pool = new ConnectionPool(TestDatabase.freshSchema(), 1, Duration.ofSeconds(30));
    pool.close();

    assertThatThrownBy(pool::borrow).isInstanceOf(IllegalStateException.class).hasMessage("the store is closed");
  }
}
