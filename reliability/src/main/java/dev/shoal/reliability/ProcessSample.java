package dev.shoal.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one JVM held at one moment, read as an operator would on Linux: its heap after a full GC, its resident
 * memory, its threads and its open file descriptors.
 *
 * @param heapAfterGcBytes the heap in use right after a full collection: what the process really keeps
 * @param rssBytes resident memory, from {@code /proc/PID/status}
 * @param threads the process's threads, from {@code /proc/PID/status}
 * @param fileDescriptors entries of {@code /proc/PID/fd}
 */
record ProcessSample(long heapAfterGcBytes, long rssBytes, int threads, int fileDescriptors) {
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  /** This JVM, after {@link System#gc()}. */
  static ProcessSample ofThisJvm() throws IOException {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return fromProc(ProcessHandle.current().pid(), heap);
  }

  /**
   * Another JVM of this user, through {@code jcmd}: {@code GC.run} collects, then {@code GC.heap_info} says what
   * is used. jcmd attaches without an agent, so the sampled JVM prints nothing.
   */
  static ProcessSample ofJvm(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    Matcher used = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
    if (!used.find()) {
      throw new IOException("jcmd " + pid + " GC.heap_info printed no heap in use");
    }
    return fromProc(pid, Long.parseLong(used.group(1)) * 1024);
  }

  private static ProcessSample fromProc(long pid, long heap) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    long rssKb = 0;
    int threads = 0;
    for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8)) {
      if (line.startsWith("VmRSS:")) {
        rssKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
      } else if (line.startsWith("Threads:")) {
        threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
      }
    }
    int fds;
    try (Stream<Path> entries = Files.list(proc.resolve("fd"))) {
      fds = (int) entries.count();
    }
    return new ProcessSample(heap, rssKb * 1024, threads, fds);
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid), command)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException("jcmd " + pid + " " + command + " failed: " + output);
    }
    return output;
  }
}
