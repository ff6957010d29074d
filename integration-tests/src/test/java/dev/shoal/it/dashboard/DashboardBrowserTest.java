package dev.shoal.it.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shoal.AppRun;
import dev.shoal.CallStatus;
import dev.shoal.FunctionCall;
import dev.shoal.MapCall;
import dev.shoal.Result;
import dev.shoal.RunOptions;
import dev.shoal.ShoalException;
import dev.shoal.Volume;
import dev.shoal.internal.embedded.EmbeddedEngine;
import dev.shoal.it.apps.DashboardApp;
import dev.shoal.it.apps.DashboardStopApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium, over an app running on the embedded engine with real container
 * processes; each browser logs in as a user does, by opening a one-time login link. Skipped only where Chromium
 * is not installed; CI installs it.
 */
class DashboardBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path profiles;

  private static AppRun run;
  private static String url;
  private static String token;
  private ChromeDriver browser;

  @BeforeAll
  static void startApp() {
    assumeTrue(Browser.installed(), "Chromium and chromedriver are not installed in /usr/bin");
    run = DashboardApp.app.run(RunOptions.builder().dashboard(true).build());
    url = EmbeddedEngine.get().serveDashboard();
    token = EmbeddedEngine.get().dashboardToken().orElseThrow();
  }

  @AfterAll
  static void stopApp() {
    if (run != null) {
      run.close();
    }
  }

  @BeforeEach
  void openBrowserAndLogIn() throws Exception {
    browser = Browser.start(profiles);
    logIn(browser);
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void pageLoadsAndShowsTheRunningAppWithItsFunctions() {
    browser.get(url);
    WebElement app = waitFor(By.xpath("//section[contains(@class,'app')][.//a[text()='dashboard-app']]"));
    assertThat(browser.getTitle()).isEqualTo("Shoal");
    assertThat(app.getText()).contains("running", "paced", "brittle", "sleeper", "square");
    screenshot("apps");
    assertThat(browser.getPageSource()).doesNotContain(token);
  }

  @Test
  void runningMapProgressAdvancesWithoutReloading() {
    CompletableFuture<List<Integer>> results = CompletableFuture.supplyAsync(() -> {
      try (MapCall<Integer> map = DashboardApp.paced.map(IntStream.range(0, 24).boxed().toList())) {
        return map.toList();
      }
    });
    browser.get(url);
    click(By.xpath("//tr[td[text()='paced'] and td[text()='map']]//a[contains(@class,'call-link')]"));
    ((JavascriptExecutor) browser).executeScript("window.shoalTestMarker = 'not reloaded';");
    long first = await().atMost(WAIT).until(this::mapDone, done -> done >= 1 && done < 24);
    long later = await().atMost(WAIT).until(this::mapDone, done -> done > first);
    assertThat(later).isGreaterThan(first);
    assertThat(((JavascriptExecutor) browser).executeScript("return window.shoalTestMarker;"))
        .isEqualTo("not reloaded");
    assertThat(results.join()).hasSize(24);
    await().atMost(WAIT).until(this::mapDone, done -> done == 24);
    assertThat(browser.findElement(By.id("call-state")).getText()).isEqualTo("succeeded");
  }

  @Test
  void failedInputStackTraceIsTwoClicksFromTheFirstPage() {
    List<Result<Integer>> results = DashboardApp.brittle.mapResults(List.of(0, 1, 2, 3, 4)).toList();
    assertThat(results.get(3).isSuccess()).isFalse();
    browser.get(url);
    click(By.xpath("//tr[td[text()='brittle'] and td[text()='map']]//a[contains(@class,'call-link')]"));
    click(By.cssSelector(".failure .toggle"));
    String trace = waitFor(By.cssSelector(".failure pre.stack")).getText();
    assertThat(trace)
        .contains("java.lang.IllegalStateException: input 3 is broken")
        .contains("at dev.shoal.it.apps.DashboardApp")
        .contains("Caused by: java.lang.IllegalArgumentException: three is not allowed");
    screenshot("call-failure");
  }

  @Test
  void cancellingACallFromThePageCancelsIt() {
    FunctionCall<String> call = DashboardApp.sleeper.spawn("to cancel");
    browser.get(url + "#/calls/" + call.id());
    await().atMost(WAIT).until(() -> text(By.id("call-state")), "running"::equals);
    click(By.id("cancel-call"));
    await().atMost(WAIT).until(call::status, s -> s == CallStatus.CANCELLED);
    await().atMost(WAIT).until(() -> text(By.id("call-state")), "cancelled"::equals);
  }

  @Test
  void withoutALoginThePageShowsNothingButTheWayToLogInAndNothingCanAct() throws Exception {
    FunctionCall<String> call = DashboardApp.sleeper.spawn("not to cancel");
    ChromeDriver stranger = Browser.start(profiles);
    try {
      stranger.get(url + "#/calls/" + call.id());
      String prompt = text(stranger, By.id("needs-login"));
      assertThat(prompt).contains("Open the login link this program printed on its standard error");
      assertThat(stranger.findElements(By.id("call-state"))).isEmpty();
      assertThat(stranger.findElements(By.id("token"))).as("the embedded engine asks for no token").isEmpty();
      click(stranger, By.id("needs-login-link"));
      new WebDriverWait(stranger, WAIT).ignoring(StaleElementReferenceException.class)
          .until(d -> d.findElement(By.id("message")).getText().startsWith("A new login link was printed"));
      assertThat(stranger.getPageSource()).doesNotContain(token, "?login=");

      await().atMost(WAIT).until(call::status, s -> s == CallStatus.RUNNING);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(url + "api/calls/" + call.id()
          + "/cancel")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(401);
      HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(url + "api/calls/" + call.id()
          + "/cancel")).header("Authorization", "Bearer not-the-token").POST(HttpRequest.BodyPublishers.noBody())
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(call.status()).isEqualTo(CallStatus.RUNNING);
    } finally {
      stranger.quit();
      call.cancel();
    }
  }

  @Test
  void loginLinkWorksOnceAndLeavesOnlyTheCleanAddressInTheBrowser() throws Exception {
    String link = EmbeddedEngine.get().dashboardLoginUrl().orElseThrow();
    ChromeDriver first = Browser.start(profiles);
    ChromeDriver second = Browser.start(profiles);
    try {
      first.get(link);
      waitFor(first, By.id("logged-in"));
      assertThat(first.getCurrentUrl()).isEqualTo(url);
      text(first, By.xpath("//section[contains(@class,'app')][.//a[text()='dashboard-app']]"));
      assertThat(first.manage().getCookieNamed("shoal_session")).satisfies(c -> {
        assertThat(c.isHttpOnly()).isTrue();
        assertThat(c.getSameSite()).isEqualTo("Strict");
      });

      second.get(link);
      assertThat(second.findElement(By.tagName("body")).getText()).contains("this login link has been used");
      assertThat(second.manage().getCookieNamed("shoal_session")).isNull();
    } finally {
      first.quit();
      second.quit();
    }
  }

  @Test
  void stoppingAnAppFromThePageStopsIt() {
    AppRun other = DashboardStopApp.app.run();
    try {
      assertThat(DashboardStopApp.twice.remote(21)).isEqualTo(42);
      browser.get(url);
      By section = By.xpath("//section[contains(@class,'app')][.//a[text()='dashboard-stop-app']]");
      click(By.xpath("//section[contains(@class,'app')][.//a[text()='dashboard-stop-app']]//button[contains(@class,'stop-app')]"));
      await().atMost(WAIT).until(() -> text(section), t -> t.contains("stopped"));
      assertThatThrownBy(() -> DashboardStopApp.twice.remote(1)).isInstanceOf(ShoalException.class);
      assertThat(run.appId()).isNotEqualTo(other.appId());
      assertThat(DashboardApp.square.remote(3)).isEqualTo(9);
    } finally {
      try {
        other.close();
      } catch (ShoalException e) {
        // Stopped from the page already: the engine no longer knows it as running.
      }
    }
  }

  @Test
  void functionPageShowsCountsLatencyAndContainerEvents() {
    assertThat(DashboardApp.square.map(List.of(1, 2, 3)).toList()).containsExactly(1, 4, 9);
    browser.get(url);
    click(By.xpath("//section[contains(@class,'app')]//a[contains(@class,'function-link') and text()='square']"));
    await().atMost(WAIT).until(() -> text(By.tagName("main")), t -> t.contains("Latency of attempts")
        && t.contains("container started in") && t.contains("maxRetries"));
    screenshot("function");
  }

  @Test
  void functionPageChartsDrawItsHistory() {
    assertThat(DashboardApp.square.map(List.of(4, 5)).toList()).containsExactly(16, 25);
    browser.get(url);
    click(By.xpath("//section[contains(@class,'app')]//a[contains(@class,'function-link') and text()='square']"));
    // Samples come every 5 s; two make a line. Each chart is uPlot's canvas, with as many points as samples. The
    // page redraws its view every second, so both are read in one script, from one state of the page.
    for (String chart : List.of("chart-throughput", "chart-latency", "chart-queue", "chart-containers")) {
      await().atMost(WAIT).until(() -> Boolean.TRUE.equals(browser.executeScript(
          "const box = document.getElementById(arguments[0]);"
              + " return !!box && !!box.querySelector('canvas') && Number(box.dataset.points) >= 2;", chart)));
    }
    assertThat(text(By.id("charts"))).contains("Throughput (inputs/s)", "Live containers");
    screenshot("function-charts");
  }

  /**
   * Saves what the browser shows to {@code target/screenshots/NAME.png}, for a person to review the page; nothing
   * is asserted on it.
   */
  private void screenshot(String name) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "screenshots"));
      Files.write(dir.resolve(name + ".png"), browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void logsTailLiveWithoutReloading() {
    browser.get(url + "#/logs/" + run.appId());
    waitFor(By.id("logs"));
    ((JavascriptExecutor) browser).executeScript("window.shoalTestMarker = 'not reloaded';");
    String tag = "tail-" + System.nanoTime();
    assertThat(DashboardApp.shout.remote(tag)).isEqualTo(tag);
    await().atMost(WAIT).until(() -> text(By.id("logs")), t -> t.contains("shouting " + tag));
    assertThat(((JavascriptExecutor) browser).executeScript("return window.shoalTestMarker;"))
        .isEqualTo("not reloaded");
  }

  @Test
  void volumesAreBrowsedAndTheirFilesDownloaded() throws Exception {
    String name = "dash-" + Long.toHexString(System.nanoTime());
    Volume volume = Volume.fromName(name, true);
    volume.write("reports/2026/summary.txt", "forty-two".getBytes(StandardCharsets.UTF_8));
    browser.get(url + "#/volumes");
    click(By.xpath("//a[contains(@class,'volume-link') and text()='" + name + "']"));
    click(By.xpath("//a[text()='reports/']"));
    click(By.xpath("//a[text()='reports/2026/']"));
    String href = waitFor(By.xpath("//a[contains(@class,'download') and text()='reports/2026/summary.txt']"))
        .getDomProperty("href");
    // The download is the browser's: it carries the browser's session, and nothing else reads the file.
    String session = "shoal_session=" + browser.manage().getCookieNamed("shoal_session").getValue();
    HttpClient http = HttpClient.newHttpClient();
    assertThat(http.send(HttpRequest.newBuilder(URI.create(href)).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(401);
    HttpResponse<String> file = http.send(HttpRequest.newBuilder(URI.create(href)).header("Cookie", session).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.body()).isEqualTo("forty-two");
    assertThat(file.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"summary.txt\"");
    screenshot("volume");
  }

  /** Logs {@code driver} in as the user does: by opening a one-time login link the engine made. */
  private static void logIn(ChromeDriver driver) {
    driver.get(EmbeddedEngine.get().dashboardLoginUrl().orElseThrow());
    waitFor(driver, By.id("logged-in"));
  }

  private long mapDone() {
    return Long.parseLong(attribute(By.id("call-progress"), "data-done"));
  }

  private WebElement waitFor(By locator) {
    return waitFor(browser, locator);
  }

  private static WebElement waitFor(WebDriver driver, By locator) {
    return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class)
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .until(d -> {
          WebElement e = d.findElement(locator);
          return e.isDisplayed() ? e : null;
        });
  }

  /** Clicks what {@code locator} finds, finding it again if the page redrew it in between. */
  private void click(By locator) {
    click(browser, locator);
  }

  private static void click(WebDriver driver, By locator) {
    new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class)
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .until((WebDriver d) -> {
          d.findElement(locator).click();
          return true;
        });
  }

  private String text(By locator) {
    return text(browser, locator);
  }

  private static String text(WebDriver driver, By locator) {
    return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class)
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .until(d -> d.findElement(locator).getText());
  }

  private String attribute(By locator, String name) {
    return new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
        .until(d -> d.findElement(locator).getDomAttribute(name));
  }
}
