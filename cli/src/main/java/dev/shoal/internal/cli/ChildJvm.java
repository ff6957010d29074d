package dev.shoal.internal.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a main class in a JVM of its own, with the terminal inherited. The user's program gets a JVM rather than a
 * class loader in the CLI's, because containers are started with the caller's {@code java.class.path}: only a JVM
 * whose classpath holds the user's classes gives containers that can load them.
 */
final class ChildJvm {
  private ChildJvm() {}

  /**
   * Starts the JVM, waits for it and returns its exit code; if the CLI is stopped, the child is stopped too.
   *
   * @param environment variables to set in the child, on top of the CLI's own
   * @param properties system properties to set in the child, on top of the CLI's own {@code shoal.*} ones
   */
  static int run(String classpath, String mainClass, List<String> args, Map<String, String> environment,
      Map<String, String> properties) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Settings given to the CLI as -Dshoal.… apply to the program it runs, as the SHOAL_… variables do.
    Map<String, String> all = new TreeMap<>();
    System.getProperties().stringPropertyNames().stream()
        .filter(name -> name.startsWith("shoal."))
        .forEach(name -> all.put(name, System.getProperty(name)));
    all.putAll(properties);
    all.forEach((name, value) -> command.add("-D" + name + "=" + value));
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().putAll(environment);
    Process child;
    try {
      child = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.getFirst(), e);
    }
    Thread stopChild = new Thread(() -> {
      child.destroy();
      try {
        child.waitFor();
      } catch (InterruptedException e) {
        child.destroyForcibly();
      }
    }, "shoal-stop-child");
    Runtime.getRuntime().addShutdownHook(stopChild);
    try {
      return child.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      child.destroy();
      return ExitCodes.FAILED;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopChild);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook is running and stops the child.
      }
    }
  }
}
