package dev.shoal.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine the figures were measured on, as the table and the JSON describe it.
 *
 * @param loadAverage the one-minute load average when the run started: on a shared machine, how busy it already was
 */
public record Machine(int cores, double memoryGb, String cpu, String jdk, String os, double loadAverage) {

  public static Machine current() {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        Math.round(os.getTotalMemorySize() / 1e9 * 10) / 10.0,
        cpuModel(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        loadAverageNow());
  }

  public static double loadAverageNow() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  @Override
  public String toString() {
    return String.format("%d cores (%s), %.1f GB memory, %s, %s; load average %.2f at the start", cores, cpu,
        memoryGb, jdk, os, loadAverage);
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException | RuntimeException e) {
      return "unknown CPU";
    }
  }
}
