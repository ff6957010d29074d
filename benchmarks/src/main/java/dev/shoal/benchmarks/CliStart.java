package dev.shoal.benchmarks;

import dev.shoal.benchmarks.Row.Better;
import dev.shoal.benchmarks.Row.Target;
import dev.shoal.internal.client.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line's own start, as a user sees it: the repository's {@code shoal} script launched, from the
 * launch to its exit, for {@code shoal --version}, {@code shoal --help} and {@code shoal app list} against a running
 * {@code shoal server}. The median of a few launches; the first launch of each command is untimed, as it records the CLI's
 * class-data archive (into a cache directory of the measurement's own), which later launches map, and on JDK 24 and
 * newer makes the launcher's copy of picocli's jar whose classes that archive can hold.
 */
final class CliStart {
  private static final Pattern LISTENING = Pattern.compile("Shoal server listening on (\\S+)");
  private static final Duration SERVER_START = Duration.ofSeconds(120);
  private static final Duration COMMAND = Duration.ofSeconds(60);

  private CliStart() {}

  static List<Row> rows(Sizes sizes) {
    int launches = Math.max(3, 2 * sizes.coldStarts());
    Figure version = Figure.measure("CLI starts, shoal --version", () -> serverlessStarts(launches, "--version"));
    Figure help = Figure.measure("CLI starts, shoal --help", () -> serverlessStarts(launches, "--help"));
    Figure server = Figure.measure("CLI starts, shoal app list against a server", () -> serverStarts(launches));
    return List.of(
        new Row("cli.version", "CLI start, `shoal --version`, launch to exit, median of " + launches, "ms",
            Better.LOWER, version, List.of(), List.of(new Target("issue 23", 300, "≤ 300 ms"))),
        new Row("cli.help", "CLI start, `shoal --help`, launch to exit, median of " + launches, "ms",
            Better.LOWER, help, List.of(), List.of(new Target("issue 23", 300, "≤ 300 ms"))),
        new Row("cli.server", "CLI start, `shoal app list` against a running server, launch to exit, median of "
            + launches, "ms", Better.LOWER, server, List.of(), List.of(new Target("issue 23", 500, "≤ 500 ms"))));
  }

  /** A command that needs no server: {@code --version} or {@code --help}. */
  private static Figure serverlessStarts(int launches, String option) throws Exception {
    Path work = Files.createTempDirectory("shoal-cli-start-");
    try {
      return timed(new Shell(script(), work, Map.of()), launches, option);
    } finally {
      FileTrees.deleteTree(work);
    }
  }

  /** {@code shoal app list} against a server started here, untimed, with a data directory of its own. */
  private static Figure serverStarts(int launches) throws Exception {
    Path work = Files.createTempDirectory("shoal-cli-start-");
    Path dataDir = work.resolve("server-data");
    Path out = work.resolve("server.out");
    Process server = new Shell(script(), work, Map.of()).command("server", "--port", "0", "--data-dir",
        dataDir.toString()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      String address = awaitListening(server, out);
      String token = Files.readString(dataDir.resolve("token")).strip();
      Shell shell = new Shell(script(), work, Map.of("SHOAL_SERVER", address, "SHOAL_TOKEN", token));
      return timed(shell, launches, "app", "list");
    } finally {
      List<ProcessHandle> descendants = server.descendants().toList();
      server.destroy(); // SIGTERM: its shutdown hook closes the server and its PostgreSQL.
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
        server.waitFor(10, TimeUnit.SECONDS);
      }
      descendants.forEach(ProcessHandle::destroyForcibly); // Only if the server could not close them.
      FileTrees.deleteTree(work);
    }
  }

  private static String awaitListening(Process server, Path out) throws Exception {
    long deadline = System.nanoTime() + SERVER_START.toNanos();
    while (System.nanoTime() < deadline) {
      String printed = Files.exists(out) ? Files.readString(out) : "";
      Matcher listening = LISTENING.matcher(printed);
      if (listening.find()) {
        return listening.group(1);
      }
      if (!server.isAlive()) {
        throw new IllegalStateException("shoal server exited with " + server.exitValue() + ":\n" + printed);
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("shoal server did not listen within " + SERVER_START);
  }

  /** One untimed launch of {@code args}, then {@code launches} timed ones; the median, with the spread. */
  private static Figure timed(Shell shell, int launches, String... args) throws Exception {
    long first = shell.run(args);
    long[] nanos = new long[launches];
    for (int i = 0; i < launches; i++) {
      nanos[i] = shell.run(args);
    }
    Latencies latencies = new Latencies(nanos);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("launches", launches);
    details.put("firstLaunchMs", first / 1e6);
    details.put("spread", latencies.summary());
    return Figure.of(latencies.percentileMillis(50), details);
  }

  /**
   * The {@code shoal} script at the repository's root: {@code benchmarks/run} runs the harness from there, a
   * test from the benchmarks module.
   */
  private static Path script() {
    for (Path dir : List.of(Path.of(""), Path.of(".."))) {
      Path script = dir.resolve("shoal").toAbsolutePath().normalize();
      if (Files.isExecutable(script) && Files.isRegularFile(script)) {
        return script;
      }
    }
    throw new IllegalStateException("no shoal script in " + Path.of("").toAbsolutePath() + " or its parent");
  }

  /** Launches the script with a home, configuration and cache of the measurement's own. */
  private record Shell(Path script, Path home, Map<String, String> env) {
    ProcessBuilder command(String... args) {
      List<String> command = new ArrayList<>(List.of(script.toString()));
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().keySet().removeIf(name -> name.startsWith("SHOAL_"));
      builder.environment().put("HOME", home.toString());
      builder.environment().put("SHOAL_CONFIG", home.resolve("config.toml").toString());
      builder.environment().put("SHOAL_CACHE_DIR", home.resolve("cache").toString());
      builder.environment().putAll(env);
      return builder;
    }

    /** Nanoseconds from launch to exit; a command that fails is an error that says what it printed. */
    long run(String... args) throws IOException, InterruptedException {
      Path out = Files.createTempFile(home, "cli-", ".out");
      long start = System.nanoTime();
      Process process = command(args).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      boolean exited = process.waitFor(COMMAND.toSeconds(), TimeUnit.SECONDS);
      long nanos = System.nanoTime() - start;
      if (!exited) {
        process.destroyForcibly();
        throw new IllegalStateException("shoal " + String.join(" ", args) + " did not exit within " + COMMAND);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("shoal " + String.join(" ", args) + " exited with " + process.exitValue()
            + ":\n" + Files.readString(out));
      }
      Files.delete(out);
      return nanos;
    }
  }
}
