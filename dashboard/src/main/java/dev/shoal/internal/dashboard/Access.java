package dev.shoal.internal.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Who may read and act through the dashboard, and how one logs in. Every route but the page's own files needs
 * one of two credentials:
 *
 * <ul>
 *   <li>the dashboard's token as {@code Authorization: Bearer}, for scripts and Prometheus;
 *   <li>a session, in an HttpOnly, SameSite=Strict cookie, started by {@code POST /api/login} with the token or by
 *       following a one-time login link ({@link LoginLinks}). The token never goes back to the browser.
 * </ul>
 *
 * <p>An action with a session must also carry {@code X-Shoal-Action}, which the page sends and a form on another
 * site cannot (the {@link HostFilter} requires its {@code Origin} too). Every credential that turns out wrong
 * counts against its client's {@link LoginLimiter}.
 */
final class Access {
  /** Sent by the page with every action: a cross-site form cannot set it, so a cookie alone cannot act. */
  static final String ACTION_HEADER = "X-Shoal-Action";

  private final byte[] token;
  private final Sessions sessions;
  private final LoginLinks links;
  private final LoginLimiter limiter;
  /** Hands a new login code to whoever prints links; null where the dashboard prints none (a server). */
  private final Consumer<String> linkPrinter;

  Access(String token, Sessions sessions, LoginLinks links, LoginLimiter limiter, Consumer<String> linkPrinter) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.sessions = sessions;
    this.links = links;
    this.limiter = limiter;
    this.linkPrinter = linkPrinter;
  }

  /** Whether the page can ask for a new login link to be printed, rather than for the token. */
  boolean printsLoginLinks() {
    return linkPrinter != null;
  }

  /** Whether the request holds a credential: a right Bearer token, or an open session. */
  boolean authenticated(HttpExchange exchange) {
    String bearer = bearer(exchange);
    if (bearer != null) {
      return isToken(exchange, bearer);
    }
    return sessions.isOpen(cookie(exchange, Sessions.COOKIE));
  }

  void requireToRead(HttpExchange exchange, String what) {
    if (!authenticated(exchange)) {
      throw new HttpError(401, what + " needs a login: " + (printsLoginLinks()
          ? "open the login link the program serving the dashboard printed on its stderr"
          : "log in with the server's token") + ", or send the token as Authorization: Bearer");
    }
  }

  void requireToAct(HttpExchange exchange) {
    String bearer = bearer(exchange);
    if (bearer != null) {
      if (!isToken(exchange, bearer)) {
        throw new HttpError(401, "the Authorization header does not hold the dashboard's token");
      }
      return;
    }
    if (!sessions.isOpen(cookie(exchange, Sessions.COOKIE))) {
      throw new HttpError(401, "acting needs a login, or the dashboard's token as Authorization: Bearer");
    }
    if (exchange.getRequestHeaders().getFirst(ACTION_HEADER) == null) {
      throw new HttpError(403, "an action from the page must carry the " + ACTION_HEADER + " header");
    }
  }

  /** Starts a session for someone who sent the token, or refuses them. */
  void login(HttpExchange exchange, String candidate) throws IOException {
    if (!isToken(exchange, candidate)) {
      throw new HttpError(401, "that is not the dashboard's token");
    }
    startSession(exchange);
    Replies.send(exchange, 200, Map.of("authenticated", true));
  }

  void logout(HttpExchange exchange) throws IOException {
    sessions.close(cookie(exchange, Sessions.COOKIE));
    exchange.getResponseHeaders().add("Set-Cookie",
        Sessions.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    Replies.send(exchange, 200, Map.of("authenticated", false));
  }

  /** Whether the request follows a login link: any page address with {@code ?login=CODE}. */
  static boolean isLoginLink(HttpExchange exchange) {
    return loginCode(exchange) != null;
  }

  /**
   * Follows a login link: a code not spent yet starts a session and sends the browser on to the page without the
   * code, so that the address bar, the history and a later {@code Referer} hold only the clean URL.
   */
  void followLoginLink(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
      try {
        if (!exchange.getRequestMethod().equals("GET")) {
          throw new HttpError(405, "a login link answers GET only");
        }
        InetAddress client = client(exchange);
        requireMayTry(client);
        if (links.redeem(loginCode(exchange))) {
          startSession(exchange);
        } else {
          limiter.spend(client);
          if (!sessions.isOpen(cookie(exchange, Sessions.COOKIE))) {
            throw new HttpError(401, "this login link has been used, has expired or was never issued: each link"
                + " logs in once. Open the dashboard without it to ask for a new one.");
          }
          // Logged in already, say by the same link a moment ago: the spent code does no harm.
        }
      } catch (HttpError e) {
        if (e.retryAfterSeconds > 0) {
          exchange.getResponseHeaders().set("Retry-After", Long.toString(e.retryAfterSeconds));
        }
        byte[] body = (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(e.status, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      // Always the page's root: echoing the request's path would let a link like //evil.example/?login= send a
      // logged-in browser to another site.
      exchange.getResponseHeaders().set("Location", "/");
      exchange.sendResponseHeaders(303, -1);
    }
  }

  /** Prints a new login link where the dashboard's program prints them, for a page whose session ended. */
  void printLoginLink(HttpExchange exchange) throws IOException {
    if (linkPrinter == null) {
      throw HttpError.notFound("this dashboard prints no login links: log in with its token");
    }
    InetAddress client = client(exchange);
    requireMayTry(client);
    // Printing costs an attempt, so that no one can fill the user's terminal with links.
    limiter.spend(client);
    linkPrinter.accept(links.issue());
    Replies.send(exchange, 200, Map.of("printed", true));
  }

  /** A new one-time login code. */
  String issueLoginCode() {
    return links.issue();
  }

  private void startSession(HttpExchange exchange) {
    long maxAge = sessions.limits().lifetime().toSeconds();
    exchange.getResponseHeaders().add("Set-Cookie", Sessions.COOKIE + "=" + sessions.open() + "; Path=/; Max-Age="
        + maxAge + "; HttpOnly; SameSite=Strict");
  }

  /** Compares in constant time, after the client's limiter allows a try; a wrong token spends an attempt. */
  private boolean isToken(HttpExchange exchange, String candidate) {
    InetAddress client = client(exchange);
    requireMayTry(client);
    boolean right = candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    if (!right) {
      limiter.spend(client);
    }
    return right;
  }

  private void requireMayTry(InetAddress client) {
    Duration wait = limiter.waitBeforeTrying(client);
    if (!wait.isZero()) {
      throw HttpError.tooManyRequests("too many wrong tokens or login codes from " + client.getHostAddress()
          + " (at most " + LoginLimiter.BURST + " at once, then 2 a second)", wait);
    }
  }

  private static InetAddress client(HttpExchange exchange) {
    return exchange.getRemoteAddress().getAddress();
  }

  private static String loginCode(HttpExchange exchange) {
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null) {
      return null;
    }
    for (String pair : raw.split("&")) {
      if (pair.startsWith(LoginLinks.PARAMETER + "=")) {
        try {
          return URLDecoder.decode(pair.substring(LoginLinks.PARAMETER.length() + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return ""; // a malformed escape: a code no link ever carried
        }
      }
    }
    return null;
  }

  private static String bearer(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).strip();
  }

  static String cookie(HttpExchange exchange, String name) {
    List<String> headers = exchange.getRequestHeaders().get("Cookie");
    if (headers == null) {
      return null;
    }
    for (String header : headers) {
      for (String part : header.split(";")) {
        String p = part.strip();
        if (p.startsWith(name + "=")) {
          return p.substring(name.length() + 1);
        }
      }
    }
    return null;
  }
}
