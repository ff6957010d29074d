package dev.shoal.internal.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.App;
import dev.shoal.RunOptions;
import org.junit.jupiter.api.Test;

/** dev.shoal:shoal alone, without the dashboard's artifact, which this module's tests do not have. */
class DashboardAbsentTest {
  static final App app = App.named("no-dashboard");

  @Test
  void theUserArtifactCarriesNeitherTheDashboardNorJacksonNorThePrometheusRegistry() {
    assertThat(EmbeddedEngine.dashboardProvider()).isEmpty();
    for (String absent : new String[] {"dev.shoal.internal.dashboard.Dashboard",
        "com.fasterxml.jackson.databind.ObjectMapper", "io.micrometer.prometheusmetrics.PrometheusMeterRegistry"}) {
      assertThatThrownBy(() -> Class.forName(absent)).as(absent).isInstanceOf(ClassNotFoundException.class);
    }
  }

  @Test
  void runThatAsksForTheDashboardWithoutItsArtifactFailsNamingTheArtifactToAdd() {
    assertThatThrownBy(() -> app.run(RunOptions.builder().dashboard(true).build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dashboard")
        .hasMessageContaining("dev.shoal:shoal-dashboard");
  }
}
