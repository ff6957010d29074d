package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.RemoteFunction;
import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory;

/** A function that reports how its container's JVM was set up, for the container start-up tests. */
public final class ContainerJvmApp {
  public static final App app = App.named("container-jvm");

  /** gRPC's Netty settings in the container: its JFR switch and the logger factory it uses. */
  public static final RemoteFunction<Integer, String> nettySettings = app.function("netty-settings",
      x -> System.getProperty("io.grpc.netty.shaded.io.netty.jfr.enabled") + " "
          + InternalLoggerFactory.getDefaultFactory().getClass().getSimpleName());

  private ContainerJvmApp() {}
}
