package dev.shoal.internal.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The page itself: a handful of files in this module's resources. The page is one document whose script draws
 * each view from the JSON API, so every path that is not a file gets {@code index.html}.
 */
final class StaticFiles {
  private static final String ROOT = "/dev/shoal/internal/dashboard/static/";
  /** uPlot, the charts' library, from its WebJar; the version is the pom's. */
  private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final Map<String, String> TYPES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "app.js", "text/javascript; charset=utf-8",
      "style.css", "text/css; charset=utf-8",
      "uplot.js", "text/javascript; charset=utf-8",
      "uplot.css", "text/css; charset=utf-8");
  private static final Map<String, String> RESOURCES = Map.of(
      "uplot.js", UPLOT + "uPlot.iife.min.js",
      "uplot.css", UPLOT + "uPlot.min.css");

  private StaticFiles() {}

  static void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
        byte[] body = "the page answers GET only\n".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(405, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      String name = exchange.getRequestURI().getPath().substring(1);
      if (!TYPES.containsKey(name)) {
        name = "index.html";
      }
      byte[] body;
      try (InputStream in = StaticFiles.class.getResourceAsStream(RESOURCES.getOrDefault(name, ROOT + name))) {
        if (in == null) {
          throw new IllegalStateException("the dashboard's " + name + " is missing from its jar");
        }
        body = in.readAllBytes();
      }
      exchange.getResponseHeaders().set("Content-Type", TYPES.get(name));
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.getResponseHeaders().set("Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }
}
