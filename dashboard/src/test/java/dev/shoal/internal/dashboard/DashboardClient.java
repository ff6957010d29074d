package dev.shoal.internal.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Requests to a dashboard as a browser or a script would send them. The JDK's client follows no redirects and
 * keeps no cookies, so each test sees exactly what the dashboard answered; {@link #raw} writes the request by hand,
 * since the JDK's client will not send a {@code Host} header of the caller's choosing.
 */
final class DashboardClient {
  private final HttpClient http = HttpClient.newHttpClient();
  private final Dashboard dashboard;

  DashboardClient(Dashboard dashboard) {
    this.dashboard = dashboard;
  }

  /** The dashboard's own origin, as its page's requests carry it: {@code http://127.0.0.1:PORT}. */
  String origin() {
    String url = dashboard.url();
    return url.substring(0, url.length() - 1);
  }

  /** {@code path} relative to the dashboard's root, or a full URL. */
  HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    return send(request(path, headers).GET());
  }

  HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
    return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Logs in with {@code token} and returns the session cookie as a request sends it: {@code shoal_session=ID}. */
  String login(String token) throws IOException, InterruptedException {
    HttpResponse<String> login = post("api/login", "{\"token\":\"" + token + "\"}");
    if (login.statusCode() != 200) {
      throw new AssertionError("login answered " + login.statusCode() + ": " + login.body());
    }
    return cookie(login);
  }

  /** The session cookie a response set, as a request sends it back. */
  static String cookie(HttpResponse<String> response) {
    String setCookie = response.headers().firstValue("Set-Cookie")
        .orElseThrow(() -> new AssertionError("no Set-Cookie in a response " + response.statusCode()));
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  /** A GET with a {@code Host} header of the test's choosing; returns the status line, headers and body. */
  String raw(String path, String host, String... headerLines) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), dashboard.port())) {
      StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
      for (String line : headerLines) {
        request.append(line).append("\r\n");
      }
      request.append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private HttpRequest.Builder request(String path, String... headers) {
    URI uri = URI.create(path.startsWith("http") ? path : dashboard.url() + path);
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
