package dev.shoal.internal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.store.memory.MemoryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API's rules on a server: the token for everything, a cookie only from the page, clear errors. */
class DashboardApiTest {
  private static final String TOKEN = "the-server-token-123";

  private ControlPlane controlPlane;
  private Dashboard dashboard;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    controlPlane = new ControlPlane(Clock.systemUTC(), new MemoryStore(), Duration.ofDays(1), null, "processes");
    dashboard = Dashboard.builder().controlPlane(controlPlane).token(TOKEN).start();
  }

  @AfterEach
  void stop() {
    dashboard.close();
    controlPlane.close();
  }

  @Test
  void readWithoutToken_onAServer_isUnauthorized() throws Exception {
    assertThat(get("api/apps", null).statusCode()).isEqualTo(401);
    assertThat(get("metrics", null).statusCode()).isEqualTo(401);
    assertThat(get("api/apps", "Bearer wrong").statusCode()).isEqualTo(401);
  }

  @Test
  void readWithBearerToken_isAnswered() throws Exception {
    HttpResponse<String> apps = get("api/apps", "Bearer " + TOKEN);
    assertThat(apps.statusCode()).isEqualTo(200);
    assertThat(apps.body()).isEqualTo("[]");
    HttpResponse<String> metrics = get("metrics", "Bearer " + TOKEN);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
        .startsWith("text/plain"));
  }

  @Test
  void loginWithTheToken_setsAnHttpOnlySessionCookie_thatReadsButActsOnlyWithTheActionHeader() throws Exception {
    assertThat(post("api/login", "{\"token\":\"wrong\"}", null, false).statusCode()).isEqualTo(401);
    HttpResponse<String> login = post("api/login", "{\"token\":\"" + TOKEN + "\"}", null, false);
    assertThat(login.statusCode()).isEqualTo(200);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).startsWith(Sessions.COOKIE + "=").contains("HttpOnly", "SameSite=Strict")
        .doesNotContain(TOKEN);
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    HttpResponse<String> apps = http.send(request("api/apps").header("Cookie", cookie).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(apps.statusCode()).isEqualTo(200);
    assertThat(post("api/calls/fc-nothing/cancel", "", cookie, false).statusCode()).isEqualTo(403);
    HttpResponse<String> unknown = post("api/calls/fc-nothing/cancel", "", cookie, true);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("no call 'fc-nothing'");
  }

  @Test
  void actionWithoutToken_isUnauthorized() throws Exception {
    HttpResponse<String> refused = post("api/calls/fc-nothing/cancel", "", null, true);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("token");
    assertThat(post("api/apps/ap-nothing/stop", "", null, true).statusCode()).isEqualTo(401);
  }

  @Test
  void badRequests_getAStatusAndAMessageNamingTheProblem() throws Exception {
    String auth = "Bearer " + TOKEN;
    HttpResponse<String> badLogin = post("api/login", "not json", null, false);
    assertThat(badLogin.statusCode()).isEqualTo(400);
    assertThat(badLogin.body()).contains("JSON");
    HttpResponse<String> noLog = get("api/apps/ap-nothing/logs?after=-3", auth);
    assertThat(noLog.statusCode()).isEqualTo(400);
    assertThat(noLog.body()).contains("'after' must be a whole number");
    HttpResponse<String> noApp = get("api/apps/ap-nothing", auth);
    assertThat(noApp.statusCode()).isEqualTo(404);
    assertThat(noApp.body()).contains("no app ap-nothing");
    assertThat(get("api/functions/fu-nothing", auth).statusCode()).isEqualTo(404);
    assertThat(get("api/calls/fc-nothing", auth).statusCode()).isEqualTo(404);
    HttpResponse<String> noRoute = get("api/nothing", auth);
    assertThat(noRoute.statusCode()).isEqualTo(404);
    assertThat(noRoute.body()).contains("no route GET /api/nothing");
    HttpResponse<String> noVolumes = get("api/volumes", auth);
    assertThat(noVolumes.statusCode()).isEqualTo(404);
    HttpResponse<String> noPath = get("api/volumes/v/file", auth);
    assertThat(noPath.statusCode()).isEqualTo(400);
    assertThat(noPath.body()).contains("'path' is required");
  }

  @Test
  void page_neverContainsTheToken() throws Exception {
    for (String path : new String[] {"", "index.html", "app.js", "style.css"}) {
      HttpResponse<String> page = get(path, "Bearer " + TOKEN);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).doesNotContain(TOKEN);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(dashboard.url() + path));
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder r = request(path);
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body, String cookie, boolean actionHeader) throws Exception {
    HttpRequest.Builder r = request(path).POST(HttpRequest.BodyPublishers.ofString(body));
    if (cookie != null) {
      // As the page's own requests do: a POST with the cookie and without its Origin is refused.
      String url = dashboard.url();
      r.header("Cookie", cookie).header("Origin", url.substring(0, url.length() - 1));
    }
    if (actionHeader) {
      r.header(Access.ACTION_HEADER, "1");
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }
}
