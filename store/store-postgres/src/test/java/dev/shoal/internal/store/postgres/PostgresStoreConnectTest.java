package dev.shoal.internal.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Opening a store from a JDBC URL, as {@code shoal server --database-url} does. */
class PostgresStoreConnectTest {
  @Test
  void connect_urlNamesTheUser_connectsAsThatUser() {
    // The embedded server has only the role "postgres"; connecting as the system's user would be refused.
    try (PostgresStore store = PostgresStore.connect(TestDatabase.freshSchemaUrl(), null, null)) {
      assertThat(store.activeApps()).isEmpty();
    }
  }
}
