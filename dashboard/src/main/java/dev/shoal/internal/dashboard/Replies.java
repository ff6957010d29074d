package dev.shoal.internal.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;

/** How the dashboard answers with JSON: a value, or an error as {@code {"error": "..."}}. */
final class Replies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Replies() {}

  static ObjectMapper json() {
    return JSON;
  }

  static void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  static void error(HttpExchange exchange, HttpError e) throws IOException {
    if (e.retryAfterSeconds > 0) {
      exchange.getResponseHeaders().set("Retry-After", Long.toString(e.retryAfterSeconds));
    }
    send(exchange, e.status, Map.of("error", e.getMessage()));
  }

  static void error(HttpExchange exchange, int status, String message) throws IOException {
    send(exchange, status, Map.of("error", message));
  }
}
