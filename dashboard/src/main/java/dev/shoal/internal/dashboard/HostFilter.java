package dev.shoal.internal.dashboard;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;

/**
 * Refuses, before any route sees it, a request that did not come from one of the dashboard's own pages:
 *
 * <ul>
 *   <li>{@code Host} must name the dashboard ({@link AllowedHosts}), else 403. A page of another site that got its
 *       name to resolve to this machine (DNS rebinding) is refused here, whatever it asks for.
 *   <li>{@code Origin}, when a request carries one, must be a page of the dashboard, else 403: no other site's
 *       script may read or act, even with the user's cookie.
 *   <li>A request that changes something (any method but GET and HEAD) and relies on the session cookie must carry
 *       {@code Origin}, as every browser sends it with such a request, else 403. A request with an
 *       {@code Authorization} header carries its own credential and needs none.
 * </ul>
 */
final class HostFilter extends Filter {
  /** How much of a refused header a message quotes. */
  private static final int QUOTED = 100;

  private final AllowedHosts allowed;

  HostFilter(AllowedHosts allowed) {
    this.allowed = allowed;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    HttpError refusal = refusal(exchange);
    if (refusal == null) {
      chain.doFilter(exchange);
      return;
    }
    try (exchange) {
      Replies.error(exchange, refusal);
    }
  }

  @Override
  public String description() {
    return "refuses requests whose Host or Origin is not the dashboard's";
  }

  private HttpError refusal(HttpExchange exchange) {
    List<String> hosts = exchange.getRequestHeaders().get("Host");
    if (hosts == null || hosts.size() != 1) {
      return HttpError.badRequest("a request must carry exactly one Host header");
    }
    String host = hosts.getFirst();
    if (!allowed.allowsHost(host)) {
      return new HttpError(403, "the Host header '" + quote(host) + "' does not name this dashboard, which answers"
          + " to " + allowed.describe() + "; a page of another site must not reach it (DNS rebinding). Add the"
          + " names it is reached by to " + Dashboard.HOSTS_ENV + " (or the system property "
          + Dashboard.HOSTS_PROPERTY + ")");
    }
    List<String> origins = exchange.getRequestHeaders().get("Origin");
    if (origins != null) {
      if (origins.size() != 1 || !allowed.allowsOrigin(origins.getFirst())) {
        return new HttpError(403, "the Origin '" + quote(String.join(", ", origins)) + "' is not a page of this"
            + " dashboard; requests from other sites are refused");
      }
      return null;
    }
    String method = exchange.getRequestMethod();
    boolean changes = !method.equals("GET") && !method.equals("HEAD");
    if (changes && exchange.getRequestHeaders().getFirst("Authorization") == null
        && Access.cookie(exchange, Sessions.COOKIE) != null) {
      return new HttpError(403, "a " + method + " with the session cookie must carry the Origin header of the"
          + " dashboard's page, as browsers send it; a script can send the token as Authorization: Bearer instead");
    }
    return null;
  }

  private static String quote(String header) {
    return header.length() <= QUOTED ? header : header.substring(0, QUOTED) + "…";
  }
}
