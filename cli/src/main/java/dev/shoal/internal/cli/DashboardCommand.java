package dev.shoal.internal.cli;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code shoal dashboard}: prints the address of the configured server's dashboard, and with {@code --open} opens
 * it in a browser. The address is {@code SHOAL_DASHBOARD_URL} when set, else the server's host with its gRPC port
 * + 1, which is where {@code shoal server} serves it unless told otherwise.
 */
@Command(name = "dashboard", description = {
    "Print (or --open) the address of the configured server's dashboard.",
    "It is SHOAL_DASHBOARD_URL when set, else http://HOST:PORT+1/ for the server HOST:PORT.",
    "On the embedded engine, run the job with SHOAL_DASHBOARD=1: it prints the address of its own."})
final class DashboardCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--open", description = "open the page in the desktop's browser")
  boolean open;

  @Option(names = "--json", description = "print JSON: {url}")
  boolean json;

  @Override
  public Integer call() {
    String url = Optional.ofNullable(System.getenv("SHOAL_DASHBOARD_URL")).filter(s -> !s.isBlank())
        .orElseGet(DashboardCommand::fromServer);
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw CliException.failed("SHOAL_DASHBOARD_URL must be an http:// or https:// address, was '" + url + "'");
    }
    Confirmation.print(json, uri.toString(), "url", uri.toString());
    if (open) {
      openInBrowser(uri);
    }
    return ExitCodes.OK;
  }

  private static String fromServer() {
    String server = ServerConnection.configured().orElseThrow(() -> CliException.notFound(
        "no server is configured; on the embedded engine a job serves its own dashboard when run with"
            + " SHOAL_DASHBOARD=1 and prints its address"));
    int colon = server.lastIndexOf(':');
    if (colon < 0) {
      throw CliException.failed("the configured server '" + server + "' has no port; set SHOAL_DASHBOARD_URL");
    }
    String host = server.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(server.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw CliException.failed("the configured server '" + server + "' has no numeric port; set SHOAL_DASHBOARD_URL");
    }
    return "http://" + host + ":" + (port + 1) + "/";
  }

  private static void openInBrowser(URI uri) {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    List<String> command = os.contains("mac") ? List.of("open", uri.toString())
        : os.contains("win") ? List.of("rundll32", "url.dll,FileProtocolHandler", uri.toString())
        : List.of("xdg-open", uri.toString());
    try {
      new ProcessBuilder(command).inheritIO().start();
    } catch (IOException e) {
      throw CliException.failed("cannot open a browser (" + command.getFirst() + "): " + e.getMessage()
          + "; open " + uri + " yourself");
    }
  }
}
