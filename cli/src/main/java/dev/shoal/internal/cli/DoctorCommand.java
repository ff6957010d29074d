package dev.shoal.internal.cli;

import dev.shoal.AppRun;
import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.client.Engines;
import dev.shoal.internal.client.ShoalConfig;
import dev.shoal.protocol.v1.ListAppsRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shoal doctor}: checks, in the order a problem would show up, that this machine can run Shoal jobs: the
 * JDK, the configuration, the server it names, and a function run end to end in a container.
 */
@Command(name = "doctor", description = {
    "Check the JDK, the configuration, the server and a function run end to end.",
    "Exits with 1 if any check failed."})
final class DoctorCommand implements Callable<Integer> {
  private static final Duration SMOKE_TIMEOUT = Duration.ofMinutes(2);

  @Option(names = "--json", description = "print JSON")
  boolean json;

  private record Check(String name, String status, String detail) {}

  @Override
  public Integer call() {
    List<Check> checks = new ArrayList<>();
    checks.add(jdk());
    checks.add(compiler());
    Optional<ShoalConfig> config = Optional.empty();
    try {
      ShoalConfig loaded = ShoalConfig.load();
      config = Optional.of(loaded);
      checks.add(config(loaded));
    } catch (RuntimeException e) {
      checks.add(new Check("config", "FAIL", ExitCodes.message(e)));
    }
    Check server = config.map(DoctorCommand::server)
        .orElse(new Check("server", "skip", "the configuration does not parse"));
    checks.add(server);
    if (config.isEmpty() || server.status().equals("FAIL")) {
      checks.add(new Check("smoke function", "skip", "needs a working configuration and server"));
    } else {
      checks.add(smoke(config.get()));
    }
    boolean failed = checks.stream().anyMatch(c -> !c.status().equals("ok"));
    if (json) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (Check c : checks) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("status", c.status().toLowerCase(Locale.ROOT));
        m.put("detail", c.detail());
        out.add(m);
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("ok", !failed);
      result.put("checks", out);
      System.out.println(Json.write(result));
    } else {
      Table table = new Table("", "", "");
      checks.forEach(c -> table.row(c.status(), c.name(), c.detail()));
      table.print(System.out);
    }
    return failed ? ExitCodes.FAILED : ExitCodes.OK;
  }

  private static Check jdk() {
    Runtime.Version version = Runtime.version();
    String detail = "Java " + version + " (" + System.getProperty("java.vendor") + ") at "
        + System.getProperty("java.home");
    if (version.feature() < 21) {
      return new Check("jdk", "FAIL", detail + ": Shoal needs Java 21 or newer; set JAVA_HOME to one");
    }
    return new Check("jdk", "ok", detail);
  }

  private static Check compiler() {
    if (ToolProvider.getSystemJavaCompiler() == null) {
      return new Check("java compiler", "FAIL",
          "this Java is a runtime without javac, so `shoal run Job.java` cannot compile; use a full JDK");
    }
    return new Check("java compiler", "ok", "javac is available for `shoal run Job.java`");
  }

  private static Check config(ShoalConfig config) {
    String where = Files.isRegularFile(config.file()) ? config.file().toString()
        : config.file() + " (no file yet)";
    String profile = config.activeProfile();
    if (!profile.equals(ShoalConfig.DEFAULT_PROFILE) && !config.profiles().containsKey(profile)) {
      String source = ConfigSource.override("shoal.profile", "SHOAL_PROFILE").map(s -> " (from " + s + ")")
          .orElse("");
      return new Check("config", "FAIL", where + ": the active profile '" + profile + "'" + source
          + " is not in it; `shoal profile list` shows the profiles there");
    }
    return new Check("config", "ok", where + ", profile " + profile + ", environment " + config.environment());
  }

  private static Check server(ShoalConfig config) {
    Optional<String> address = config.server();
    if (address.isEmpty()) {
      return new Check("server", "ok", "none configured: jobs run on the embedded engine");
    }
    try {
      EngineConnection connection = Engines.current();
      int apps = connection.blocking().withDeadlineAfter(10, TimeUnit.SECONDS)
          .listApps(ListAppsRequest.newBuilder().setEnvironment(config.environment()).build())
          .getAppsCount();
      return new Check("server", "ok", address.get() + " is reachable and accepted the token (" + apps
          + " apps in environment " + config.environment() + ")");
    } catch (RuntimeException e) {
      return new Check("server", "FAIL", ExitCodes.message(e));
    }
  }

  private static Check smoke(ShoalConfig config) {
    String engine = config.server().map(s -> "server " + s).orElse("the embedded engine");
    long started = System.nanoTime();
    try (AppRun run = DoctorApp.app.run()) {
      int result = DoctorApp.increment.spawn(41).get(SMOKE_TIMEOUT);
      double seconds = (System.nanoTime() - started) / 1e9;
      if (result != 42) {
        return new Check("smoke function", "FAIL", "x -> x + 1 of 41 returned " + result + " on " + engine);
      }
      return new Check("smoke function", "ok", String.format(Locale.ROOT,
          "x -> x + 1 ran in a container on %s and returned 42 (%.1f s)", engine, seconds));
    } catch (RuntimeException e) {
      return new Check("smoke function", "FAIL", "on " + engine + ": " + ExitCodes.message(e));
    }
  }
}
