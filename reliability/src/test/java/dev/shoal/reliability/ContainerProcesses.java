package dev.shoal.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The container JVMs in this JVM's process tree, as an operator would find them on Linux: by the variable that
 * names the container in their environment. Not by their command line, which a long classpath makes longer than
 * what {@link ProcessHandle.Info} reads (4,096 bytes).
 */
final class ContainerProcesses {
  private static final byte[] CONTAINER_VARIABLE = "SHOAL_CONTAINER_ID=".getBytes(StandardCharsets.US_ASCII);

  private ContainerProcesses() {}

  /** The live containers that descend from this JVM (the embedded engine's, or those of a server it started). */
  static List<ProcessHandle> live() {
    return ProcessHandle.current().descendants()
        .filter(ProcessHandle::isAlive)
        .filter(ContainerProcesses::isContainer)
        .toList();
  }

  private static boolean isContainer(ProcessHandle process) {
    byte[] environment;
    try {
      environment = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ"));
    } catch (IOException e) {
      return false; // It is gone, or was never ours to read.
    }
    // Variables are separated by NUL bytes; the name must begin one.
    for (int start = 0; start < environment.length; ) {
      if (Arrays.equals(environment, start, Math.min(environment.length, start + CONTAINER_VARIABLE.length),
          CONTAINER_VARIABLE, 0, CONTAINER_VARIABLE.length)) {
        return true;
      }
      int end = start;
      while (end < environment.length && environment[end] != 0) {
        end++;
      }
      start = end + 1;
    }
    return false;
  }

  /** Whether the container has loaded {@link ChaosApp}; one that has not is still starting. */
  static boolean loaded(ProcessHandle container) {
    return Files.exists(ChaosApp.LOADED.resolve(Long.toString(container.pid())));
  }

  /** Sends a signal by name ({@code STOP}, {@code CONT}) with the system's {@code kill}. */
  static void signal(ProcessHandle process, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + signal + " " + process.pid() + " exited with " + kill.exitValue());
    }
  }

  /** Deletes a directory and what it holds, if it exists. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
