package dev.shoal.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The container JVMs in this JVM's process tree, as an operator would find them: by their main class. */
final class ContainerProcesses {
  private static final String CONTAINER_MAIN = "dev.shoal.internal.runtime.ContainerMain";

  private ContainerProcesses() {}

  /** The live containers that descend from this JVM (the embedded engine's, or those of a server it started). */
  static List<ProcessHandle> live() {
    return ProcessHandle.current().descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains(CONTAINER_MAIN)).orElse(false))
        .toList();
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
