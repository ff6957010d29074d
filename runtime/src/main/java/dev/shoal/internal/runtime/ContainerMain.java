package dev.shoal.internal.runtime;

import dev.shoal.internal.client.ExitHooks;
import dev.shoal.internal.client.NetThreads;
import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory;
import io.grpc.netty.shaded.io.netty.util.internal.logging.JdkLoggerFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The entry point of a container process. The backend that starts it passes where the control plane is and who
 * the container is in environment variables; everything else comes over the container's stream.
 */
public final class ContainerMain {
  public static final String ENV_TARGET = "SHOAL_CONTAINER_TARGET";
  public static final String ENV_ID = "SHOAL_CONTAINER_ID";
  public static final String ENV_TOKEN = "SHOAL_CONTAINER_TOKEN";
  public static final String ENV_PARENT_PID = "SHOAL_PARENT_PID";
  /**
   * How many seconds the container keeps running and reconnecting when its control plane goes away, so that the
   * control plane's next life may adopt it (a pod outlives a control plane's restart). Unset or 0: the container
   * ends with its stream, as a process container ends with the engine that started it.
   */
  public static final String ENV_RECONNECT_SECONDS = "SHOAL_RECONNECT_SECONDS";

  /** gRPC's shaded Netty's switch for its JFR events. */
  private static final String NETTY_JFR = "io.grpc.netty.shaded.io.netty.jfr.enabled";

  private ContainerMain() {}

  public static void main(String[] args) {
    configureNetty();
    String target = required(ENV_TARGET);
    String id = required(ENV_ID);
    String token = required(ENV_TOKEN);
    exitWithParent();
    Container container = new Container(target, id, token, ContainerHost.PROCESS, reconnectWindow());
    AtomicBoolean exiting = new AtomicBoolean();
    // SIGTERM (a user's kill, a pod being evicted) stops the container as the control plane's Shutdown would, so
    // that a Cls instance's close() runs; run() then returns.
    // Through ExitHooks, which ends the network threads once the container has stopped.
    ExitHooks.add("shoal-sigterm", () -> {
      exiting.set(true);
      container.stopAndWait();
    });
    int code = container.run();
    System.out.flush();
    System.err.flush();
    if (exiting.get()) {
      // The JVM is exiting already, for a signal (SIGTERM ends it with 143) or for the app's own System.exit(n),
      // and finishes once its hooks have run. Its status tells the backend how the container ended: a start-up
      // that called System.exit(1) counts against the function, a SIGTERM from outside does not. Halting with the
      // container's code would hide that.
      return;
    }
    // halt rather than exit: user code may have left non-daemon threads or shutdown hooks that would keep a
    // container that was told to stop alive. The network threads end first: the halt would wait 0.3 s for them.
    NetThreads.stop();
    Runtime.getRuntime().halt(code);
  }

  /**
   * Settles, before any of gRPC's Netty classes load, two look-ups that a container's start would otherwise pay
   * for on its way to the control plane (measured at a load average of 9–17, where the whole start took 1.6–2.4 s):
   * Netty's JFR events for its buffers, whose first use registers them with the flight recorder (its metadata,
   * annotation proxies: 100–330 ms on the connecting thread), and Netty's logger, which it would otherwise look
   * for through SLF4J, whose provider lookup and {@code simplelogger.properties} search go through every jar on the
   * classpath. The container's JVM is Shoal's own, so these choices affect no user's JVM; a flag already set by
   * the user ({@code -D…jfr.enabled=true}) wins. Netty then logs through {@code java.util.logging}, as gRPC does.
   */
  private static void configureNetty() {
    if (System.getProperty(NETTY_JFR) == null) {
      System.setProperty(NETTY_JFR, "false");
    }
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
  }

  /**
   * Ends this container when the JVM that started it ends, even by {@code kill -9}. The closed stream usually
   * tells first; this covers a container that has not connected yet.
   */
  private static void exitWithParent() {
    String parent = System.getenv(ENV_PARENT_PID);
    if (parent == null) {
      return;
    }
    ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
        h -> h.onExit().thenRun(() -> Runtime.getRuntime().halt(1)),
        () -> Runtime.getRuntime().halt(1));
  }

  private static Duration reconnectWindow() {
    String seconds = System.getenv(ENV_RECONNECT_SECONDS);
    if (seconds == null || seconds.isBlank()) {
      return Duration.ZERO;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(seconds.strip()));
    } catch (NumberFormatException e) {
      System.err.println("shoal container: " + ENV_RECONNECT_SECONDS + " must be a number of seconds, was '"
          + seconds + "'");
      System.exit(64);
      return Duration.ZERO;
    }
  }

  /** The environment variable {@code name}; a JVM started without it exits with 64, saying which is missing. */
  static String required(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      System.err.println("shoal container: " + name + " is not set; containers are started by a Shoal backend");
      System.exit(64);
    }
    return value;
  }
}
