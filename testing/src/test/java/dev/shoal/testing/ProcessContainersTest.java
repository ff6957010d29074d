package dev.shoal.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.testing.ContainerEvent.Kind;
import dev.shoal.testing.apps.OrdersApp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@ShoalTest(containers = Backend.PROCESSES)
class ProcessContainersTest {

  @Test
  void functionsRunInContainerProcessesThatEndWithTheRun(ShoalTestEngine engine) {
    long containerPid;
    try (AppRun run = OrdersApp.app.run()) {
      containerPid = OrdersApp.pid.remote(0);
      assertThat(containerPid).isNotEqualTo(ProcessHandle.current().pid());
      assertThat(ProcessHandle.of(containerPid)).isPresent();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.of(containerPid).isEmpty());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(engine.containerEvents(OrdersApp.app)).extracting(ContainerEvent::kind)
            .contains(Kind.STARTED, Kind.STOPPED));
  }
}
