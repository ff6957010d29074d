package dev.shoal.internal.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.controlplane.CoreException;
import dev.shoal.internal.controlplane.volume.Volumes;
import dev.shoal.internal.store.FunctionHistory;
import dev.shoal.protocol.v1.ReadVolumeFileResponse;
import dev.shoal.protocol.v1.VolumeDirEntry;
import dev.shoal.protocol.v1.VolumeSummary;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JSON API behind the page; see the module's README for every route. */
final class Api {
  private static final Pattern APP = Pattern.compile("/api/apps/([A-Za-z0-9_-]+)(/logs|/stop)?");
  private static final Pattern FUNCTION = Pattern.compile("/api/functions/([A-Za-z0-9_-]+)(/failures|/history)?");
  private static final Pattern CALL = Pattern.compile("/api/calls/([A-Za-z0-9_-]+)(/cancel)?");
  private static final Pattern VOLUME = Pattern.compile("/api/volumes/([^/]+)/(entries|file)");
  private static final int MAX_LOG_LINES = 1_000;
  private static final int MAX_BODY_BYTES = 16 * 1024;

  private final ControlPlane controlPlane;
  private final Volumes volumes;
  private final Access access;
  private final History history;
  private final Optional<FunctionHistory> storedHistory;

  Api(ControlPlane controlPlane, Volumes volumes, Access access, History history,
      Optional<FunctionHistory> storedHistory) {
    this.controlPlane = controlPlane;
    this.volumes = volumes;
    this.access = access;
    this.history = history;
    this.storedHistory = storedHistory;
  }

  void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        route(exchange);
      } catch (HttpError e) {
        Replies.error(exchange, e);
      } catch (StatusRuntimeException e) {
        Replies.error(exchange, httpStatus(e.getStatus()), String.valueOf(e.getStatus().getDescription()));
      } catch (CoreException e) {
        Replies.error(exchange, httpStatus(Status.fromCodeValue(e.kind().code())), e.getMessage());
      } catch (RuntimeException e) {
        Replies.error(exchange, 500, "the dashboard failed: " + e);
      }
    }
  }

  void metrics(HttpExchange exchange, Metrics metrics) throws IOException {
    try (exchange) {
      try {
        requireMethod(exchange.getRequestMethod(), "GET", "/metrics");
        access.requireToRead(exchange, "/metrics");
      } catch (HttpError e) {
        Replies.error(exchange, e);
        return;
      }
      byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    if (path.equals("/api/session")) {
      requireMethod(method, "GET", path);
      send(exchange, 200, Map.of("authenticated", access.authenticated(exchange), "loginLinks",
          access.printsLoginLinks()));
      return;
    }
    if (path.equals("/api/login")) {
      requireMethod(method, "POST", path);
      access.login(exchange, loginToken(exchange));
      return;
    }
    if (path.equals("/api/login-link")) {
      requireMethod(method, "POST", path);
      access.printLoginLink(exchange);
      return;
    }
    if (path.equals("/api/logout")) {
      requireMethod(method, "POST", path);
      access.logout(exchange);
      return;
    }
    if (method.equals("POST")) {
      access.requireToAct(exchange);
    } else if (method.equals("GET")) {
      access.requireToRead(exchange, path);
    } else {
      throw new HttpError(405, path + " does not answer " + method);
    }
    Matcher m;
    if (path.equals("/api/apps")) {
      requireMethod(method, "GET", path);
      send(exchange, 200, controlPlane.activity().apps());
    } else if ((m = APP.matcher(path)).matches()) {
      String appId = m.group(1);
      String rest = m.group(2);
      if (rest == null) {
        requireMethod(method, "GET", path);
        send(exchange, 200, controlPlane.activity().app(appId)
            .orElseThrow(() -> HttpError.notFound("no app " + appId + " is running or recently stopped")));
      } else if (rest.equals("/logs")) {
        requireMethod(method, "GET", path);
        long after = number(query, "after", 0, 0, Long.MAX_VALUE);
        int max = (int) number(query, "max", 500, 1, MAX_LOG_LINES);
        send(exchange, 200, controlPlane.activity().logs(appId, after, max));
      } else {
        requireMethod(method, "POST", path);
        if (controlPlane.activity().app(appId).isEmpty()) {
          throw HttpError.notFound("no app " + appId + " is running or recently stopped");
        }
        controlPlane.stopApp(appId);
        send(exchange, 200, Map.of("stopped", appId));
      }
    } else if ((m = FUNCTION.matcher(path)).matches()) {
      requireMethod(method, "GET", path);
      String id = m.group(1);
      var function = controlPlane.activity().function(id)
          .orElseThrow(() -> HttpError.notFound("no function " + id + " in a running app"));
      if (m.group(2) == null) {
        send(exchange, 200, function);
      } else if (m.group(2).equals("/failures")) {
        send(exchange, 200, FunctionFailures.of(controlPlane.activity(), function, storedHistory));
      } else {
        send(exchange, 200, history.of(id).orElse(Map.of()));
      }
    } else if ((m = CALL.matcher(path)).matches()) {
      String id = m.group(1);
      if (m.group(2) == null) {
        requireMethod(method, "GET", path);
        send(exchange, 200, controlPlane.activity().call(id).orElseThrow(() -> HttpError.notFound(
            "no call " + id + " among the " + "recent calls this control plane keeps")));
      } else {
        requireMethod(method, "POST", path);
        boolean terminate = Boolean.parseBoolean(query.getOrDefault("terminateContainers", "false"));
        controlPlane.cancelCall(id, terminate);
        send(exchange, 200, Map.of("cancelled", id));
      }
    } else if (path.equals("/api/volumes")) {
      requireMethod(method, "GET", path);
      List<Map<String, Object>> out = requireVolumes().list().stream().map(Api::volume).toList();
      send(exchange, 200, out);
    } else if ((m = VOLUME.matcher(path)).matches()) {
      requireMethod(method, "GET", path);
      String name = m.group(1);
      if (m.group(2).equals("entries")) {
        List<Map<String, Object>> out = requireVolumes().listDir(name, query.getOrDefault("dir", "")).stream()
            .map(Api::entry).toList();
        send(exchange, 200, out);
      } else {
        download(exchange, name, required(query, "path"));
      }
    } else {
      throw HttpError.notFound("no route " + method + " " + path + "; see the dashboard's README for the API");
    }
  }

  /** The token of a login body, {@code {"token": "..."}}. */
  private static String loginToken(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      throw HttpError.badRequest("a login body must be under " + MAX_BODY_BYTES + " bytes");
    }
    String token;
    try {
      JsonNode node = Replies.json().readTree(body);
      token = node == null || !node.hasNonNull("token") ? null : node.get("token").asText();
    } catch (IOException e) {
      throw HttpError.badRequest("a login body must be JSON such as {\"token\": \"...\"}");
    }
    if (token == null || token.isEmpty()) {
      throw HttpError.badRequest("a login body must name the token: {\"token\": \"...\"}");
    }
    return token;
  }

  private void download(HttpExchange exchange, String name, String path) throws IOException {
    ReadVolumeFileResponse file = requireVolumes().read(name, path);
    byte[] data = file.getData().toByteArray();
    String fileName = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(200, data.length == 0 ? -1 : data.length);
    exchange.getResponseBody().write(data);
  }

  private Volumes requireVolumes() {
    if (volumes == null) {
      throw HttpError.notFound("this control plane serves no volumes");
    }
    return volumes;
  }

  private static Map<String, Object> volume(VolumeSummary v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", v.getName());
    out.put("createdAtMs", v.getCreatedAtMs());
    out.put("version", v.getVersion());
    out.put("files", v.getFiles());
    out.put("bytes", v.getBytes());
    return out;
  }

  private static Map<String, Object> entry(VolumeDirEntry e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("path", e.getPath());
    out.put("directory", e.getDirectory());
    out.put("size", e.getSize());
    out.put("modifiedMs", e.getModifiedMs());
    return out;
  }

  private static void requireMethod(String method, String expected, String path) {
    if (!method.equals(expected)) {
      throw new HttpError(405, path + " answers " + expected + " only, not " + method);
    }
  }

  private static String required(Map<String, String> query, String name) {
    String value = query.get(name);
    if (value == null || value.isEmpty()) {
      throw HttpError.badRequest("the query parameter '" + name + "' is required");
    }
    return value;
  }

  private static long number(Map<String, String> query, String name, long fallback, long min, long max) {
    String value = query.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw HttpError.badRequest("'" + name + "' must be a whole number in " + min + ".." + max + ", was '" + value
          + "'");
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(key, value);
    }
    return out;
  }

  private static int httpStatus(Status status) {
    return switch (status.getCode()) {
      case NOT_FOUND -> 404;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case ALREADY_EXISTS, ABORTED -> 409;
      case UNAUTHENTICATED -> 401;
      case PERMISSION_DENIED -> 403;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      default -> 500;
    };
  }

  private static void send(HttpExchange exchange, int status, Object body) throws IOException {
    Replies.send(exchange, status, body);
  }
}
