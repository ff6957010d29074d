package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.AppRun;
import dev.shoal.InvalidOptionException;
import dev.shoal.it.apps.AllowListApp;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A library's class crosses to a container process only when the caller names its package in shoal.codec.allow:
 * the caller sends its list with the app's functions, and refuses the value itself when the list lacks it.
 */
class CodecAllowListTest {
  @AfterEach
  void clear() {
    System.clearProperty("shoal.codec.allow");
  }

  @Test
  void libraryValueReachesTheContainerOnlyWhenTheCallerAllowsItsPackage() {
    // Set before the app class loads, since functions take the caller's list when they are defined.
    System.setProperty("shoal.codec.allow", "org.assertj.core.data.");
    try (AppRun run = AllowListApp.app.run()) {
      assertThat(AllowListApp.describe.remote(Offset.offset(0.5)))
          .isEqualTo("org.assertj.core.data.Offset " + Offset.offset(0.5));

      System.clearProperty("shoal.codec.allow");
      assertThatThrownBy(() -> AllowListApp.describe.remote(Offset.offset(0.5)))
          .isInstanceOf(InvalidOptionException.class)
          .hasMessageContaining("the argument to describe cannot be sent to a container")
          .hasMessageContaining("cannot serialise org.assertj.core.data.Offset")
          .hasMessageContaining("-Dshoal.codec.allow=org.assertj.core.data.");
    }
  }
}
