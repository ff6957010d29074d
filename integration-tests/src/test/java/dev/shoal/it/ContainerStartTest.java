package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.AppRun;
import dev.shoal.RunOptions;
import dev.shoal.it.apps.ContainerJvmApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a process container settles before it connects (issue 20, cold start): gRPC's Netty neither registers its
 * JFR events with the flight recorder nor looks for a logger through SLF4J, both of which cost a container's start
 * hundreds of milliseconds on a large classpath.
 */
@Timeout(120)
class ContainerStartTest {
  @Test
  void processContainerStartsNettyWithoutJfrEventsAndWithTheJdkLogger() {
    try (AppRun run = ContainerJvmApp.app.run(RunOptions.builder().build())) {
      assertThat(ContainerJvmApp.nettySettings.remote(1)).isEqualTo("false JdkLoggerFactory");
    }
  }
}
