package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;

/** An app with one warm container, deployed to a server whose containers are Kubernetes pods. */
public final class PodServerApp {
  public static final App app = App.named("pod-server");

  public static final RemoteFunction<Integer, Integer> warm = app.function("warm", x -> x + 1,
      FunctionOptions.builder().minContainers(1).cpu(0.5).memoryMb(512).build());

  private PodServerApp() {}
}
