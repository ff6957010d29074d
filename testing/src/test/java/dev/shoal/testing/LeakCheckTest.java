package dev.shoal.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void anEngineClosedByItsTestLeavesNothing() {
    ShoalTestEngine engine = ShoalTestEngine.start(dev.shoal.Backend.THREADS, false);
    assertThatCode(engine::close).doesNotThrowAnyException();
  }
}
