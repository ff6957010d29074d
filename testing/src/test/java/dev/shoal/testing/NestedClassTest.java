package dev.shoal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.testing.apps.OrdersApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@ShoalTest(containers = Backend.THREADS)
class NestedClassTest {
  private static ShoalTestEngine outer;

  @BeforeAll
  static void rememberTheEngine(ShoalTestEngine engine) {
    outer = engine;
  }

  @Test
  void outerTest() {
    try (AppRun run = OrdersApp.app.run()) {
      assertThat(OrdersApp.total.remote(2)).isEqualTo(4);
    }
  }

  @Nested
  class Inner {
    @Test
    void aNestedClassRunsOnTheEngineAroundIt(ShoalTestEngine engine) {
      try (AppRun run = OrdersApp.app.run()) {
        assertThat(OrdersApp.total.remote(3)).isEqualTo(6);
      }
      assertThat(engine).isSameAs(outer);
    }
  }
}
