package dev.shoal.internal.store.postgres;

import static dev.shoal.internal.store.StoreFixtures.at;
import static dev.shoal.internal.store.StoreFixtures.bytes;
import static dev.shoal.internal.store.StoreFixtures.call;
import static dev.shoal.internal.store.StoreFixtures.run;
import static dev.shoal.internal.store.StoreFixtures.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.store.AppState;
import dev.shoal.internal.store.CallState;
import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StateStoreContract;
import dev.shoal.internal.store.StoredApp;
import dev.shoal.internal.store.StoredCall;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The PostgreSQL store against the contract every store keeps, and against what only a database can promise. */
class PostgresStoreTest extends StateStoreContract {
  private DataSource dataSource;

  @Override
  protected StateStore newStore() {
    dataSource = TestDatabase.freshSchema();
    // A small pool, so that the concurrency tests also wait for connections.
    return new PostgresStore(dataSource, 4);
  }

  @Test
  void aStoreOpenedLaterOnTheSameDatabaseSeesEverythingCommitted() {
    StoredApp app = run("app-1", AppState.DETACHED, at(0));
    store.putApp(app);
    store.insertCalls(List.of(call("done", "app-1", at(1)), call("pending", "app-1", at(2))));
    store.completeCalls(List.of(succeeded("done", bytes("ok"), at(3))));
    store.close();

    // This is what a restarted control plane does: reload the active apps and put their unfinished calls back.
    store = new PostgresStore(dataSource, 2);

    assertThat(store.activeApps()).extracting(StoredApp::appId).containsExactly("app-1");
    assertThat(store.unfinishedCalls("app-1")).extracting(StoredCall::callId).containsExactly("pending");
    assertThat(store.call("done").orElseThrow().state()).isEqualTo(CallState.SUCCEEDED);
  }

  @Test
  void instantsKeepMicrosecondsAndDropNanoseconds() {
    store.insertCalls(List.of(call("call-1", "app-1", at(0).plusNanos(123_456_789))));

    assertThat(store.call("call-1").orElseThrow().createdAt()).isEqualTo(at(0).plusNanos(123_456_000));
  }
}
