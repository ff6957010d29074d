package dev.shoal.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.testing.apps.OrdersApp;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LeakCheckTest {

  @Test
  void aShoalThreadStillAliveAfterTheWaitIsALeak() throws Exception {
    LeakCheck check = LeakCheck.begin(Duration.ofMillis(200));
    CountDownLatch release = new CountDownLatch(1);
    Thread leaked = Thread.ofPlatform().daemon().name("shoal-leaked-by-a-test").start(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      assertThatThrownBy(check::verify)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("thread shoal-leaked-by-a-test");
    } finally {
      release.countDown();
      leaked.join();
    }
  }

  @Test
  void threadsThatEndWithinTheWaitAreNotLeaks() {
    LeakCheck check = LeakCheck.begin(Duration.ofSeconds(30));
    CountDownLatch started = new CountDownLatch(1);
    Thread.ofPlatform().daemon().name("shoal-ends-soon").start(started::countDown);
    assertThatCode(check::verify).doesNotThrowAnyException();
  }

  @Test
  void aRunLeftOpenIsNamedWhenItsEngineCloses() {
    ShoalTestEngine engine = ShoalTestEngine.start(Backend.THREADS, false, LeakCheck.begin(Duration.ofMillis(500)));
    AppRun run = OrdersApp.app.run();
    try {
      assertThatThrownBy(engine::close)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("thread shoal-heartbeat-" + run.appId());
    } finally {
      // The engine is gone, so stopping the run can only fail; closing it ends its heartbeat.
      catchThrowable(run::close);
    }
  }

  @Test
  void anEngineClosedByItsTestLeavesNothing() {
    ShoalTestEngine engine = ShoalTestEngine.start(Backend.THREADS, false);
    assertThatCode(engine::close).doesNotThrowAnyException();
  }
}
