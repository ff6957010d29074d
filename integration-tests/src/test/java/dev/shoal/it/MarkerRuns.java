package dev.shoal.it;

import dev.shoal.it.apps.MarkerApp;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.StartAppRequest;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;

/** Requests that start {@link MarkerApp}: the proof, by its marker file, that a request made code run. */
public final class MarkerRuns {
  private MarkerRuns() {}

  /**
   * A detached run of {@link MarkerApp} named {@code name}, on this JVM's classpath, whose one function keeps a
   * container from the start; that container's class leaves {@code marker}. The class is named, not loaded here.
   */
  public static StartAppRequest startRequest(String name, Path marker) {
    return StartAppRequest.newBuilder()
        .setAppName(name)
        .setAppClass("dev.shoal.it.apps.MarkerApp")
        .addAllClasspath(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)))
        .addFunctions(FunctionDefinition.newBuilder()
            .setName("touch")
            .setTimeoutMs(60_000)
            .setStartupTimeoutMs(60_000)
            .setMinContainers(1)
            .setMaxConcurrentInputs(1)
            .putEnv(MarkerApp.ENV, marker.toString()))
        .setDetach(true)
        .build();
  }
}
