package dev.shoal.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A JVM of its own for a test: a second client, a server that a test kills. It runs on the test's class path, so it
 * finds the test's apps, and its output is read line by line: a test waits for the line that says the child is
 * ready, and the rest goes to the test's stderr, so that a chatty child never blocks on a full pipe.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** Starts {@code mainClass} with {@code env} added to this JVM's environment; stderr is merged into stdout. */
  public static Process start(Map<String, String> env, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    return builder.start();
  }

  /**
   * Reads the child's output until a line starts with {@code prefix} and returns the rest of that line, trimmed;
   * from then on the child's output is copied to this JVM's stderr, each line marked with the child's pid.
   *
   * @throws AssertionError if the child's output ends first, with everything it printed
   */
  public static String awaitLine(Process process, String prefix) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(prefix)) {
        String tag = "[child " + process.pid() + "] ";
        Thread.ofVirtual().start(() -> drain(out, tag));
        return line.substring(prefix.length()).trim();
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("the child exited without printing '" + prefix + "'; it printed:\n" + seen);
  }

  /** Runs a child to its end and returns the rest of its line that starts with {@code prefix}. */
  public static String run(Map<String, String> env, String mainClass, String prefix, String... args)
      throws IOException, InterruptedException {
    Process p = start(env, mainClass, args);
    String value = awaitLine(p, prefix);
    p.waitFor();
    return value;
  }

  private static void drain(BufferedReader out, String tag) {
    try {
      String line;
      while ((line = out.readLine()) != null) {
        System.err.println(tag + line);
      }
    } catch (IOException e) {
      // The child is gone.
    }
  }
}
