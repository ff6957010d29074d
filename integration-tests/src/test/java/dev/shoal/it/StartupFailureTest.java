package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.AppRun;
import dev.shoal.RemoteException;
import dev.shoal.it.apps.BrokenApp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An app class that cannot be loaded in its containers fails its callers instead of hanging. */
class StartupFailureTest {
  @Test
  @Timeout(120)
  void unloadableAppClassFailsTheCallerWithTheCause() {
    try (AppRun run = BrokenApp.app.run()) {
      assertThatThrownBy(() -> BrokenApp.identity.remote(1))
          .isInstanceOf(RemoteException.class)
          .hasMessageContaining("failed to start")
          .hasMessageContaining("BrokenApp refuses to load in a container");
      // Later inputs try again after a backoff, and fail with the reason while the app still cannot load.
      assertThatThrownBy(() -> BrokenApp.identity.map(List.of(1, 2, 3)).toList())
          .isInstanceOf(RemoteException.class);
    }
  }
}
