package dev.shoal.internal.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The entry point of a container on another machine than the control plane, such as a Kubernetes pod running
 * the generic runtime image. It fetches the app's classpath by content hash into a local cache (through the control
 * plane, or from the object store it keeps artifacts in, by the URLs it signs: see {@link ArtifactCache}), then runs
 * {@link ContainerMain} from that classpath in a JVM of its own and ends with that JVM's exit code.
 *
 * <p>The app's own classpath, not this launcher's, must define the container: it holds the app, its libraries
 * and the Shoal runtime version the app was built with. Hence a second JVM rather than a class loader over the
 * first one. A SIGTERM (a pod being deleted) is passed on, so the container stops as a Shutdown would stop it.
 */
public final class RemoteContainerMain {
  /** The artifacts of the container's classpath, as SHA-256 hashes separated by commas, in classpath order. */
  public static final String ENV_ARTIFACTS = "SHOAL_ARTIFACTS";
  /** Where fetched artifacts are kept. */
  public static final String ENV_CACHE = "SHOAL_ARTIFACT_CACHE";
  public static final String DEFAULT_CACHE = "/var/cache/shoal/artifacts";
  /** The exit code when the classpath could not be fetched: the container never started. */
  public static final int EXIT_FETCH_FAILED = 65;
  private static final long STOP_WAIT_SECONDS = 60;

  private RemoteContainerMain() {}

  public static void main(String[] args) throws InterruptedException {
    String target = ContainerMain.required(ContainerMain.ENV_TARGET);
    String id = ContainerMain.required(ContainerMain.ENV_ID);
    String token = ContainerMain.required(ContainerMain.ENV_TOKEN);
    List<String> hashes = Arrays.stream(ContainerMain.required(ENV_ARTIFACTS).split(","))
        .map(String::strip).filter(h -> !h.isEmpty()).toList();
    String cacheDir = System.getenv(ENV_CACHE);
    // The launcher's JVM runs without --enable-native-access; Netty's pure-Java transport keeps it quiet.
    dev.shoal.internal.client.Channels.quietNetty();
    List<Path> classpath;
    try {
      classpath = new ArtifactCache(Path.of(cacheDir == null || cacheDir.isBlank() ? DEFAULT_CACHE : cacheDir),
          line -> System.err.println("shoal container " + id + ": " + line))
          .fetch(target, id, token, hashes);
    } catch (RuntimeException e) {
      System.err.println("shoal container " + id + ": cannot fetch its classpath: " + e.getMessage());
      System.exit(EXIT_FETCH_FAILED);
      return;
    }
    // The launcher talks to no one after the fetch; its network threads would only hold up its exit by 0.3 s.
    dev.shoal.internal.client.NetThreads.stop();
    Process container;
    try {
      container = new ProcessBuilder(command(classpath)).inheritIO().start();
    } catch (IOException e) {
      System.err.println("shoal container " + id + ": cannot start its JVM: " + e.getMessage());
      System.exit(EXIT_FETCH_FAILED);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      container.destroy();
      try {
        container.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "shoal-pass-sigterm"));
    int code = container.waitFor();
    Runtime.getRuntime().halt(code);
  }

  static List<String> command(List<Path> classpath) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The heap follows the pod's memory limit, leaving room for this launcher and the JVM's own memory. An
    // out-of-memory error ends the container, whose inputs then go to another one, rather than leaving it half
    // alive.
    command.addAll(List.of("-XX:MaxRAMPercentage=60", "-XX:+ExitOnOutOfMemoryError",
        "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 24) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
    command.add(ContainerMain.class.getName());
    return command;
  }
}
