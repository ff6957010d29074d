package dev.shoal.internal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.store.memory.MemoryStore;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who gets in, on a dashboard set up as the embedded engine sets it up (login links printed for the user, reads
 * behind a login): the Host and Origin rules, the one-time login link, the rate limit on wrong credentials and
 * the end of sessions, with time moved by a fake clock.
 */
class DashboardAccessTest {
  private static final String TOKEN = "the-engine-token-456";
  private static final Duration IDLE = Duration.ofMinutes(10);
  private static final Duration LIFETIME = Duration.ofHours(1);

  private final FakeClock clock = new FakeClock();
  private final List<String> printedLinks = new CopyOnWriteArrayList<>();
  private ControlPlane controlPlane;
  private Dashboard dashboard;
  private DashboardClient client;

  @BeforeEach
  void start() {
    controlPlane = new ControlPlane(Clock.systemUTC(), new MemoryStore(), Duration.ofDays(1), null, "processes");
    dashboard = Dashboard.builder().controlPlane(controlPlane).token(TOKEN).clock(clock)
        .sessionIdleTimeout(IDLE).sessionLifetime(LIFETIME).loginLinkPrinter(printedLinks::add).start();
    client = new DashboardClient(dashboard);
  }

  @AfterEach
  void stop() {
    dashboard.close();
    controlPlane.close();
  }

  @Test
  void foreignHostIsRefusedOnEveryRouteSoThatDnsRebindingReadsNothing() throws Exception {
    String session = client.login(TOKEN);
    for (String path : List.of("/", "/app.js", "/api/apps", "/api/session", "/metrics")) {
      String answer = client.raw(path, "rebind.evil.example:" + dashboard.port(), "Cookie: " + session,
          "Authorization: Bearer " + TOKEN);
      assertThat(answer).as(path).startsWith("HTTP/1.1 403")
          .contains("the Host header 'rebind.evil.example:" + dashboard.port() + "' does not name this dashboard")
          .contains("localhost:" + dashboard.port(), "SHOAL_DASHBOARD_HOSTS")
          .doesNotContain("[]");
    }
    assertThat(client.raw("/api/apps", "127.0.0.1:1", "Authorization: Bearer " + TOKEN))
        .as("a loopback name with another port").startsWith("HTTP/1.1 403");
    for (String host : List.of("127.0.0.1:", "localhost:", "LocalHost:")) {
      assertThat(client.raw("/api/apps", host + dashboard.port(), "Authorization: Bearer " + TOKEN))
          .as(host).startsWith("HTTP/1.1 200").endsWith("[]");
    }
  }

  @Test
  void namesAddedByTheOperatorAreAnsweredToo() throws Exception {
    try (Dashboard named = Dashboard.builder().controlPlane(controlPlane).token(TOKEN)
        .allowedHosts(List.of("shoal.example.com", "proxy.example.com:443")).start()) {
      DashboardClient other = new DashboardClient(named);
      String bearer = "Authorization: Bearer " + TOKEN;
      assertThat(other.raw("/api/apps", "shoal.example.com:" + named.port(), bearer)).startsWith("HTTP/1.1 200");
      assertThat(other.raw("/api/apps", "shoal.example.com", bearer)).startsWith("HTTP/1.1 200");
      assertThat(other.raw("/api/apps", "proxy.example.com:443", bearer)).startsWith("HTTP/1.1 200");
      assertThat(other.raw("/api/apps", "proxy.example.com", bearer)).startsWith("HTTP/1.1 403");
      assertThat(other.get("api/apps", "Authorization", "Bearer " + TOKEN, "Origin", "https://proxy.example.com:443")
          .statusCode()).isEqualTo(200);
    }
  }

  @Test
  void foreignOriginIsRefusedAndACookieActionMustShowItsOrigin() throws Exception {
    String evil = "http://evil.example:" + dashboard.port();
    HttpResponse<String> read = client.get("api/apps", "Authorization", "Bearer " + TOKEN, "Origin", evil);
    assertThat(read.statusCode()).isEqualTo(403);
    assertThat(read.body()).contains("the Origin '" + evil + "' is not a page of this dashboard");
    HttpResponse<String> login = client.post("api/login", "{\"token\":\"" + TOKEN + "\"}", "Origin", "null");
    assertThat(login.statusCode()).isEqualTo(403);
    assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();

    String session = client.login(TOKEN);
    HttpResponse<String> noOrigin = client.post("api/calls/fc-nothing/cancel", "", "Cookie", session,
        Access.ACTION_HEADER, "1");
    assertThat(noOrigin.statusCode()).isEqualTo(403);
    assertThat(noOrigin.body()).contains("must carry the Origin header");
    HttpResponse<String> foreign = client.post("api/calls/fc-nothing/cancel", "", "Cookie", session,
        Access.ACTION_HEADER, "1", "Origin", evil);
    assertThat(foreign.statusCode()).isEqualTo(403);
    HttpResponse<String> own = client.post("api/calls/fc-nothing/cancel", "", "Cookie", session,
        Access.ACTION_HEADER, "1", "Origin", client.origin());
    assertThat(own.statusCode()).as(own.body()).isEqualTo(404);
    assertThat(client.post("api/calls/fc-nothing/cancel", "", "Authorization", "Bearer " + TOKEN).statusCode())
        .as("a script with the token needs no Origin").isEqualTo(404);
  }

  @Test
  void readsWithoutASessionAreRefused() throws Exception {
    for (String path : List.of("api/apps", "api/apps/ap-1", "api/apps/ap-1/logs", "api/functions/fu-1",
        "api/calls/fc-1", "api/volumes", "api/volumes/v/entries", "api/volumes/v/file?path=a", "metrics")) {
      HttpResponse<String> refused = client.get(path);
      assertThat(refused.statusCode()).as(path).isEqualTo(401);
      assertThat(refused.body()).as(path).contains("needs a login");
    }
    HttpResponse<String> session = client.get("api/session");
    assertThat(session.statusCode()).isEqualTo(200);
    assertThat(session.body()).contains("\"authenticated\":false", "\"loginLinks\":true");
    assertThat(client.get("").statusCode()).as("the page itself").isEqualTo(200);
  }

  @Test
  void oneTimeLoginUrlWorksOnceAndLeadsToTheCleanAddress() throws Exception {
    String link = dashboard.newLoginUrl();
    assertThat(link).startsWith(dashboard.url() + "?login=");

    HttpResponse<String> first = client.get(link);
    assertThat(first.statusCode()).isEqualTo(303);
    assertThat(first.headers().firstValue("Location")).hasValue("/");
    assertThat(first.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(first.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c)
        .startsWith(Sessions.COOKIE + "=").contains("HttpOnly", "SameSite=Strict", "Max-Age=3600")
        .doesNotContain(TOKEN, link.substring(link.indexOf('=') + 1)));
    String session = DashboardClient.cookie(first);
    assertThat(client.get("api/apps", "Cookie", session).statusCode()).isEqualTo(200);
    assertThat(client.get("metrics", "Cookie", session).statusCode()).isEqualTo(200);

    HttpResponse<String> again = client.get(link);
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(again.body()).contains("this login link has been used", "each link logs in once");
    assertThat(again.headers().firstValue("Set-Cookie")).isEmpty();
    HttpResponse<String> againLoggedIn = client.get(link, "Cookie", session);
    assertThat(againLoggedIn.statusCode()).as("a spent link in a logged-in browser").isEqualTo(303);
    assertThat(againLoggedIn.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void sixthWrongTokenInABurstGets429WithRetryAfter() throws Exception {
    for (int i = 1; i <= LoginLimiter.BURST; i++) {
      assertThat(client.post("api/login", "{\"token\":\"guess-" + i + "\"}").statusCode()).as("guess %d", i)
          .isEqualTo(401);
    }
    HttpResponse<String> sixth = client.post("api/login", "{\"token\":\"guess-6\"}");
    assertThat(sixth.statusCode()).isEqualTo(429);
    assertThat(sixth.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(sixth.body()).contains("too many wrong tokens or login codes", "try again in 1 second");
    assertThat(client.post("api/login", "{\"token\":\"" + TOKEN + "\"}").statusCode())
        .as("even the right token waits its turn").isEqualTo(429);

    clock.advance(LoginLimiter.REFILL);
    assertThat(client.post("api/login", "{\"token\":\"" + TOKEN + "\"}").statusCode()).isEqualTo(200);
  }

  @Test
  void wrongBearerTokensAndLoginCodesCountAsGuessesToo() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(client.get("api/apps", "Authorization", "Bearer guess-" + i).statusCode()).isEqualTo(401);
    }
    for (int i = 0; i < 2; i++) {
      assertThat(client.get("?login=guess-" + i).statusCode()).isEqualTo(401);
    }
    assertThat(client.get("api/apps", "Authorization", "Bearer guess").statusCode()).isEqualTo(429);
    HttpResponse<String> link = client.get(dashboard.newLoginUrl());
    assertThat(link.statusCode()).isEqualTo(429);
    assertThat(link.headers().firstValue("Retry-After")).hasValue("1");
  }

  @Test
  void rightTokensAreNeverSlowed() throws Exception {
    for (int i = 0; i < 4 * LoginLimiter.BURST; i++) {
      assertThat(client.get("metrics", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void idleSessionExpires() throws Exception {
    String session = client.login(TOKEN);
    clock.advance(IDLE.minusSeconds(1));
    assertThat(client.get("api/apps", "Cookie", session).statusCode()).as("used within the idle limit")
        .isEqualTo(200);
    clock.advance(IDLE.minusSeconds(1));
    assertThat(client.get("api/apps", "Cookie", session).statusCode()).as("the limit counts from the last use")
        .isEqualTo(200);
    clock.advance(IDLE.plusSeconds(1));
    assertThat(client.get("api/apps", "Cookie", session).statusCode()).isEqualTo(401);
    assertThat(client.get("api/session", "Cookie", session).body()).contains("\"authenticated\":false");
    clock.advance(Duration.ofSeconds(1));
    assertThat(client.get("api/apps", "Cookie", session).statusCode()).as("an ended session stays ended")
        .isEqualTo(401);
  }

  @Test
  void oldSessionExpiresAtItsLifetimeHoweverBusy() throws Exception {
    String session = client.login(TOKEN);
    Duration step = IDLE.minusMinutes(1);
    Duration elapsed = Duration.ZERO;
    while (elapsed.plus(step).compareTo(LIFETIME) <= 0) {
      clock.advance(step);
      elapsed = elapsed.plus(step);
      assertThat(client.get("api/apps", "Cookie", session).statusCode()).as("after %s", elapsed).isEqualTo(200);
    }
    clock.advance(LIFETIME.minus(elapsed).plusSeconds(1));
    assertThat(client.get("api/apps", "Cookie", session).statusCode()).isEqualTo(401);
  }

  @Test
  void unusedLoginLinkExpiresWithTheSessionLifetime() throws Exception {
    String link = dashboard.newLoginUrl();
    clock.advance(LIFETIME.plusSeconds(1));
    assertThat(client.get(link).statusCode()).isEqualTo(401);
  }

  @Test
  void pageAsksForANewLinkWhichIsPrintedForTheUserOnly() throws Exception {
    HttpResponse<String> asked = client.post("api/login-link", "", "Origin", client.origin());
    assertThat(asked.statusCode()).isEqualTo(200);
    assertThat(asked.body()).isEqualTo("{\"printed\":true}");
    assertThat(printedLinks).singleElement().satisfies(l -> assertThat(l).startsWith(dashboard.url() + "?login="));
    assertThat(client.get(printedLinks.getFirst()).statusCode()).isEqualTo(303);

    for (int i = 1; i < LoginLimiter.BURST; i++) {
      assertThat(client.post("api/login-link", "").statusCode()).isEqualTo(200);
    }
    assertThat(client.post("api/login-link", "").statusCode()).as("printing is limited as guessing is")
        .isEqualTo(429);
    assertThat(printedLinks).hasSize(LoginLimiter.BURST);
  }

  @Test
  void aServerDashboardAsksForItsTokenAndPrintsNoLinks() throws Exception {
    try (Dashboard server = Dashboard.builder().controlPlane(controlPlane).token(TOKEN).start()) {
      DashboardClient other = new DashboardClient(server);
      assertThat(other.get("api/session").body()).contains("\"loginLinks\":false");
      HttpResponse<String> asked = other.post("api/login-link", "");
      assertThat(asked.statusCode()).isEqualTo(404);
      assertThat(asked.body()).contains("prints no login links");
    }
  }
}
