package dev.shoal.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ShoalServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service as it runs: a Shoal server in this JVM (embedded PostgreSQL, process containers) with the reports
 * app deployed, the Spring Boot service on a free port configured for that server, and requests over HTTP.
 */
class JobServiceTest {
  private static final String TOKEN = "job-service-token-0123456789";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir
  static Path dataDir;

  private static ShoalServer server;
  private static ConfigurableApplicationContext service;
  private static HttpClient http;
  private static URI base;

  @BeforeAll
  static void start() {
    server = ShoalServer.start(ServerOptions.defaults(dataDir).withPort(0).withToken(TOKEN));
    // Deployed as `shoal deploy` would, from this JVM; the service itself only finds it by name.
    System.setProperty("shoal.server", server.address());
    System.setProperty("shoal.token", TOKEN);
    ReportJobs.app.deploy();
    service = new SpringApplicationBuilder(JobServiceApplication.class)
        .properties("server.port=0", "shoal.server=" + server.address(), "shoal.token=" + TOKEN)
        .run();
    base = URI.create("http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port"));
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    try {
      if (http != null) {
        http.close();
      }
      if (service != null) {
        service.close();
      }
    } finally {
      System.clearProperty("shoal.server");
      System.clearProperty("shoal.token");
      server.close();
    }
  }

  @Test
  void aJobIsAcceptedWithItsCallIdAndItsResultIsServedOnceDone() throws Exception {
    HttpResponse<String> accepted = post("/jobs", "{\"document\": \"to be or not to be\"}");
    assertThat(accepted.statusCode()).isEqualTo(202);
    String callId = JSON.readTree(accepted.body()).get("callId").asString();
    assertThat(callId).startsWith("fc-");
    assertThat(accepted.headers().firstValue("Location")).contains("/jobs/" + callId);

    await().atMost(Duration.ofSeconds(60)).until(() -> state(callId).get("status").asString(),
        status -> status.equals("SUCCEEDED"));
    JsonNode done = state(callId);
    assertThat(done.get("result").get("words").asInt()).isEqualTo(6);
    assertThat(done.get("result").get("characters").asInt()).isEqualTo(18);
  }

  @Test
  void aJobThatFailsReportsWhy() throws Exception {
    String callId = JSON.readTree(post("/jobs", "{\"document\": \"   \"}").body()).get("callId").asString();
    await().atMost(Duration.ofSeconds(60)).until(() -> state(callId).get("status").asString(),
        status -> status.equals("FAILED"));
    assertThat(state(callId).get("error").asString()).contains("IllegalArgumentException", "the document is empty");
  }

  @Test
  void anUnknownCallIdIsNotFound() throws Exception {
    assertThat(get("/jobs/fc-doesnotexist0000000000").statusCode()).isEqualTo(404);
  }

  @Test
  void healthShowsTheShoalServer() throws Exception {
    JsonNode health = JSON.readTree(get("/actuator/health").body());
    assertThat(health.get("status").asString()).isEqualTo("UP");
    assertThat(health.get("components").get("shoal").get("details").get("server").asString())
        .isEqualTo(server.address());
  }

  private static JsonNode state(String callId) throws IOException, InterruptedException {
    HttpResponse<String> response = get("/jobs/" + callId);
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
