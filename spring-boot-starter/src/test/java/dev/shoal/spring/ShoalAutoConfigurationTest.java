package dev.shoal.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoal.CallStatus;
import dev.shoal.FunctionCall;
import dev.shoal.NotFoundException;
import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ShoalServer;
import dev.shoal.spring.apps.JobsApp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter against a real Shoal server (embedded PostgreSQL, process containers) with a deployed app. */
class ShoalAutoConfigurationTest {
  private static final String TOKEN = "starter-test-token-0123456789";

  @TempDir
  static Path dataDir;

  private static ShoalServer server;

  private final ApplicationContextRunner contexts = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ShoalAutoConfiguration.class))
      .withPropertyValues("shoal.server=" + server.address(), "shoal.token=" + TOKEN);

  @BeforeAll
  static void startServerAndDeploy() {
    server = ShoalServer.start(ServerOptions.defaults(dataDir).withPort(0).withToken(TOKEN));
    System.setProperty("shoal.server", server.address());
    System.setProperty("shoal.token", TOKEN);
    JobsApp.app.deploy();
    SdkProperties.clear();
  }

  @AfterEach
  void forgetTheServer() {
    SdkProperties.clear();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void theClientSpawnsADeployedFunctionAndReadsItsResultById() {
    contexts.run(context -> {
      ShoalClient client = context.getBean(ShoalClient.class);
      FunctionCall<Integer> call = client.spawn("jobs", "twice", 21);
      await().atMost(Duration.ofSeconds(60)).until(() -> client.result(call.id()), Optional::isPresent);
      assertThat(client.<Integer>result(call.id())).contains(42);
      assertThat(client.status(call.id())).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(client.<Integer>call(call.id()).get()).isEqualTo(42);
    });
  }

  @Test
  void theApplicationsShoalSettingsReachTheSdk() {
    contexts.withPropertyValues("shoal.environment=main").run(context -> {
      context.getBean(ShoalClient.class);
      assertThat(System.getProperty("shoal.server")).isEqualTo(server.address());
      assertThat(System.getProperty("shoal.token")).isEqualTo(TOKEN);
      assertThat(System.getProperty("shoal.environment")).isEqualTo("main");
    });
  }

  @Test
  void aFunctionThatIsNotDeployedIsNotFound() {
    contexts.run(context -> assertThatThrownBy(() -> context.getBean(ShoalClient.class).spawn("jobs", "thrice", 1))
        .isInstanceOf(NotFoundException.class));
  }

  @Test
  void healthIsUpWhenTheServerAnswersAndDownWhenItRefusesTheToken() {
    contexts.run(context -> {
      Health health = context.getBean(ShoalHealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("server", server.address()).containsKey("clientVersion")
          .containsEntry("serverVersion", health.getDetails().get("clientVersion"));
    });
    contexts.withPropertyValues("shoal.token=not-the-token").run(context -> {
      Health health = context.getBean(ShoalHealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.DOWN);
      assertThat(health.getDetails().get("error").toString()).contains("UNAUTHENTICATED");
    });
  }

  @Test
  void spawnsAreCountedByOutcome() {
    contexts.run(context -> {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      context.getBean(ShoalClientMetrics.class).bindTo(registry);
      ShoalClient client = context.getBean(ShoalClient.class);
      client.spawn("jobs", "twice", 1).get(Duration.ofSeconds(60));
      assertThatThrownBy(() -> client.spawn("jobs", "thrice", 1)).isInstanceOf(NotFoundException.class);
      assertThat(registry.get("shoal.client.spawns").tag("outcome", "acknowledged").functionCounter().count())
          .isEqualTo(1);
      assertThat(registry.get("shoal.client.spawns").tag("outcome", "failed").functionCounter().count())
          .isEqualTo(1);
      assertThat(registry.get("shoal.client.spawns.in.flight").gauge().value()).isZero();
    });
  }

  @Test
  void withoutTheActuatorTheClientStandsAlone() {
    contexts.withClassLoader(new FilteredClassLoader("org.springframework.boot.health", "io.micrometer"))
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(ShoalClient.class);
          assertThat(context).doesNotHaveBean(ShoalHealthIndicator.class).doesNotHaveBean(ShoalClientMetrics.class);
        });
  }

  @Test
  void aHealthIndicatorTurnedOffIsNotMade() {
    contexts.withPropertyValues("management.health.shoal.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ShoalHealthIndicator.class));
  }

  @Test
  void aClosedApplicationTakesNoNewSpawns() {
    contexts.run(context -> {
      ShoalClient client = context.getBean(ShoalClient.class);
      client.stop();
      assertThatThrownBy(() -> client.spawn("jobs", "twice", 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("shutting down");
    });
  }
}
