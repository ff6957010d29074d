package dev.shoal.internal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.embedded.EmbeddedEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** With this artifact on the classpath, the embedded engine serves the dashboard, as SHOAL_DASHBOARD=1 asks. */
class EmbeddedDashboardProviderTest {
  @Test
  void embeddedEngineServesTheDashboardWhenItsArtifactIsOnTheClasspath() throws Exception {
    String url = EmbeddedEngine.get().serveDashboard();

    assertThat(url).startsWith("http://127.0.0.1:");
    assertThat(EmbeddedEngine.get().serveDashboard()).as("served once").isEqualTo(url);
    String token = EmbeddedEngine.get().dashboardToken().orElseThrow();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(url + "metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(url + "metrics"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(metrics.statusCode()).isEqualTo(200);
  }
}
