package dev.shoal.it.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Child JVMs for the tests: a second client, a server that can be killed. */
final class Processes {
  private Processes() {}

  static Process java(Map<String, String> env, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    return builder.start();
  }

  /**
   * Reads the child's output until a line starts with {@code prefix} and returns the rest of that line. The
   * rest of the output is drained to this JVM's stderr from then on, so that a chatty child never blocks on a
   * full pipe.
   */
  static String awaitLine(Process process, String prefix) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(prefix)) {
        Thread.ofVirtual().start(() -> drain(out));
        return line.substring(prefix.length()).trim();
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("the child exited without printing '" + prefix + "'; it printed:\n" + seen);
  }

  private static void drain(BufferedReader out) {
    try {
      String line;
      while ((line = out.readLine()) != null) {
        System.err.println("[child] " + line);
      }
    } catch (IOException e) {
      // The child is gone.
    }
  }

  /** Runs a child to its end and returns the rest of its line that starts with {@code prefix}. */
  static String run(Map<String, String> env, String mainClass, String prefix, String... args)
      throws IOException, InterruptedException {
    Process p = java(env, mainClass, args);
    String value = awaitLine(p, prefix);
    p.waitFor();
    return value;
  }
}
