package dev.shoal.it.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.AppRun;
import dev.shoal.Result;
import dev.shoal.RunOptions;
import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ShoalServer;
import dev.shoal.it.apps.DashboardApp;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A server's dashboard keeps its history in the state store: calls run on a {@link ShoalServer} over its embedded
 * PostgreSQL, the server stops and starts again on the same data directory, and the dashboard's API (and, where
 * Chromium is installed, the function page's chart) shows the samples and the failure from before the restart.
 */
class DashboardHistoryRestartTest {
  private static final String TOKEN = "history-restart-token";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dataDir;

  @TempDir
  Path profiles;

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private ShoalServer server;
  private AppRun run;

  /** Both starts listen on the same gRPC port, so that this process's client finds the server again. */
  private ShoalServer start(int port) {
    server = ShoalServer.start(ServerOptions.defaults(dataDir).withPort(port).withHttpPort(0).withToken(TOKEN)
        .withMaxContainers(4));
    System.setProperty("shoal.server", server.address());
    System.setProperty("shoal.token", TOKEN);
    return server;
  }

  @AfterEach
  void stop() {
    try {
      if (run != null) {
        run.close();
      }
    } finally {
      System.clearProperty("shoal.server");
      System.clearProperty("shoal.token");
      if (server != null) {
        server.close();
      }
    }
  }

  @Test
  void theChartsHistoryAndAFailureWithItsStackTraceSurviveARestart() throws Exception {
    int port = freePort();
    start(port);
    // Detached, so that the app outlives this client's pause in heartbeats while the server is down.
    run = DashboardApp.app.run(RunOptions.builder().detach(true).build());
    assertThat(DashboardApp.square.map(IntStream.range(0, 20).boxed().toList()).toList()).hasSize(20);
    List<Result<Integer>> brittle = DashboardApp.brittle.mapResults(List.of(3)).toList();
    assertThat(brittle.getFirst().isSuccess()).isFalse();
    String square = functionId("square");
    String brittleId = functionId("brittle");
    // A sample that saw the square's container: the dashboard samples every 5 s, from its start.
    await().atMost(WAIT).until(() -> history(square), h -> containersSeen(h) >= 1);
    assertThat(get("api/functions/" + brittleId + "/failures").toString()).contains("input 3 is broken");
    long stoppedAtS = System.currentTimeMillis() / 1000 + 1;

    server.close(); // The dashboard writes the minute in progress as it stops.
    server = null;
    start(port);

    JsonNode restored = history(square);
    List<Double> before = new ArrayList<>();
    int mostContainersBefore = 0;
    for (int i = 0; i < restored.get("timeS").size(); i++) {
      if (restored.get("timeS").get(i).asDouble() < stoppedAtS) {
        before.add(restored.get("timeS").get(i).asDouble());
        mostContainersBefore = Math.max(mostContainersBefore, restored.get("containers").get(i).asInt());
      }
    }
    assertThat(before).as("points from before the restart in %s", restored).isNotEmpty();
    // The minute of the sample that saw the container; a minute that began before the app started has none, when
    // the run crossed a minute's boundary.
    assertThat(mostContainersBefore).as("containers seen before the restart in %s", restored)
        .isGreaterThanOrEqualTo(1);
    String failures = get("api/functions/" + brittleId + "/failures").toString();
    assertThat(failures).contains("\"kind\":\"map\"", "\"errorType\":\"java.lang.IllegalStateException\"",
        "input 3 is broken", "Caused by: java.lang.IllegalArgumentException: three is not allowed");

    if (Browser.installed()) {
      chartDrawsTheRestoredPoints(square, before.getFirst());
    }
  }

  /** The function page's throughput chart starts at the first point from before the restart. */
  private void chartDrawsTheRestoredPoints(String functionId, double firstRestoredS) throws Exception {
    ChromeDriver browser = Browser.start(profiles);
    try {
      String url = server.dashboardUrl().orElseThrow();
      browser.get(url);
      WebDriverWait wait = new WebDriverWait(browser, WAIT);
      wait.ignoring(StaleElementReferenceException.class).ignoring(org.openqa.selenium.NoSuchElementException.class)
          .until(d -> d.findElement(By.id("token")).isDisplayed());
      browser.findElement(By.id("token")).sendKeys(TOKEN);
      browser.findElement(By.id("login")).click();
      wait.until(d -> !d.findElements(By.id("logged-in")).isEmpty());
      browser.get(url + "#/functions/" + functionId);
      await().atMost(WAIT).until(() -> browser.executeScript(
          "const chart = state.charts['chart-throughput'];"
              + " return chart && chart.root.isConnected && chart.root.querySelector('canvas') ? chart.data[0][0]"
              + " : null;"), first -> first instanceof Number n && n.doubleValue() == firstRestoredS);
      Path shots = java.nio.file.Files.createDirectories(Path.of("target", "screenshots"));
      java.nio.file.Files.write(shots.resolve("function-charts-after-restart.png"),
          browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    } finally {
      browser.quit();
    }
  }

  private static int containersSeen(JsonNode history) {
    int most = 0;
    for (JsonNode c : history.path("containers")) {
      most = Math.max(most, c.asInt());
    }
    return most;
  }

  private JsonNode history(String functionId) throws Exception {
    return get("api/functions/" + functionId + "/history");
  }

  private String functionId(String name) throws Exception {
    for (JsonNode f : get("api/apps/" + run.appId()).get("functions")) {
      if (f.get("name").asText().equals(name)) {
        return f.get("id").asText();
      }
    }
    throw new AssertionError("no function " + name + " in app " + run.appId());
  }

  private JsonNode get(String path) throws Exception {
    String url = server.dashboardUrl().orElseThrow() + path;
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
