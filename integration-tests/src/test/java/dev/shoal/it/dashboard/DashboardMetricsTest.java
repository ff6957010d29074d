package dev.shoal.it.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.Result;
import dev.shoal.RunOptions;
import dev.shoal.internal.embedded.EmbeddedEngine;
import dev.shoal.it.apps.DashboardApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code /metrics} is Prometheus text for a scraper with the token, and its series follow the work the engine does. */
class DashboardMetricsTest {
  private static final String APP = "app=\"dashboard-app\"";

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void metricsParseAsPrometheusTextAndMoveWithWork() throws Exception {
    try (AppRun run = DashboardApp.app.run(RunOptions.builder().dashboard(true).build())) {
      String url = EmbeddedEngine.get().serveDashboard();
      String token = EmbeddedEngine.get().dashboardToken().orElseThrow();
      HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(url + "metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as("metrics without the token").isEqualTo(401);
      Map<String, Double> before = scrape(url, token);
      String square = "function=\"square\"";
      double succeeded = PrometheusText.value(before, "shoal_inputs_succeeded_total", APP, square);
      double started = PrometheusText.value(before, "shoal_inputs_started_total", APP, square);
      double timed = PrometheusText.value(before, "shoal_attempt_duration_seconds_count", APP, square);

      assertThat(DashboardApp.square.map(IntStream.range(0, 5).boxed().toList()).toList())
          .containsExactly(0, 1, 4, 9, 16);
      List<Result<Integer>> brittle = DashboardApp.brittle.mapResults(List.of(3)).toList();
      assertThat(brittle.getFirst().isSuccess()).isFalse();

      Map<String, Double> after = scrape(url, token);
      assertThat(PrometheusText.value(after, "shoal_inputs_succeeded_total", APP, square)).isEqualTo(succeeded + 5);
      assertThat(PrometheusText.value(after, "shoal_inputs_started_total", APP, square)).isEqualTo(started + 5);
      assertThat(PrometheusText.value(after, "shoal_attempt_duration_seconds_count", APP, square))
          .isEqualTo(timed + 5);
      assertThat(PrometheusText.value(after, "shoal_attempt_duration_seconds_bucket", APP, square, "le=\"+Inf\""))
          .isEqualTo(timed + 5);
      // A handful of service-level buckets per series, not a hundred: 10 ms … 10 min, and +Inf.
      assertThat(after.keySet().stream().filter(k -> k.startsWith("shoal_attempt_duration_seconds_bucket{")
          && k.contains(square) && k.contains("outcome=\"succeeded\"")))
          .hasSize(9)
          .anyMatch(k -> k.contains("le=\"0.1\""))
          .anyMatch(k -> k.contains("le=\"600"));
      assertThat(PrometheusText.value(after, "shoal_inputs_failed_total", APP, "function=\"brittle\""))
          .isGreaterThanOrEqualTo(1);
      assertThat(PrometheusText.value(after, "shoal_containers_live", APP, square)).isGreaterThanOrEqualTo(1);

      // Queue depth counts inputs no container has taken: the sleeper's one container takes four at once.
      List<FunctionCall<String>> sleeping = IntStream.range(0, 6).mapToObj(i -> DashboardApp.sleeper.spawn("q" + i))
          .toList();
      try {
        String sleeper = "function=\"sleeper\"";
        await().atMost(Duration.ofSeconds(60)).until(() -> scrape(url, token), m ->
            PrometheusText.value(m, "shoal_inputs_running", APP, sleeper) == 4
                && PrometheusText.value(m, "shoal_queue_depth", APP, sleeper) == 2);
      } finally {
        sleeping.forEach(FunctionCall::cancel);
      }
    }
  }

  @Test
  void aFunctionsFailureHistoryCarriesEachFailedInputsStackTraceAndItsCall() throws Exception {
    try (AppRun run = DashboardApp.app.run(RunOptions.builder().dashboard(true).build())) {
      String url = EmbeddedEngine.get().serveDashboard();
      String token = EmbeddedEngine.get().dashboardToken().orElseThrow();
      List<Result<Integer>> results = DashboardApp.brittle.mapResults(List.of(2, 3)).toList();
      assertThat(results.get(1).isSuccess()).isFalse();

      String app = get(url + "api/apps/" + run.appId(), token);
      java.util.regex.Matcher brittle = java.util.regex.Pattern
          .compile("\\{\"id\":\"([^\"]+)\",\"appId\":\"" + run.appId() + "\",\"appName\":\"[^\"]+\",\"name\":\"brittle\"")
          .matcher(app);
      assertThat(brittle.find()).as("brittle in %s", app).isTrue();
      String failures = get(url + "api/functions/" + brittle.group(1) + "/failures", token);
      assertThat(failures)
          .containsPattern("^\\[\\{\"callId\":\"[^\"]+\",\"kind\":\"map\",\"callCreatedAtMs\":\\d+,\"input\":\\{")
          .contains("\"index\":1", "\"state\":\"failed\"", "\"errorType\":\"java.lang.IllegalStateException\"",
              "input 3 is broken", "Caused by: java.lang.IllegalArgumentException: three is not allowed");
      assertThat(failures.split("\"callId\"")).as("one failure").hasSize(2);
    }
  }

  private String get(String url, String token) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
    return response.body();
  }

  /** Scrapes as Prometheus does, with the token as {@code Authorization: Bearer}. */
  private Map<String, Double> scrape(String url, String token) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "metrics"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
        .startsWith("text/plain"));
    return PrometheusText.parse(response.body());
  }
}
