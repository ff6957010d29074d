package dev.shoal.internal.controlplane.backend;

import dev.shoal.protocol.v1.FunctionDefinition;
import java.util.List;

/**
 * What a backend needs to start one container.
 *
 * @param containerId the id the container says hello with
 * @param token the secret that proves it is that container
 * @param appClass the class the container loads to define the app
 * @param classpath what the container loads the app from
 * @param function the function the container serves (resources, environment)
 */
public record ContainerSpec(
    String containerId, String token, String appName, String appClass, List<String> classpath,
    FunctionDefinition function) {
  public ContainerSpec {
    classpath = List.copyOf(classpath);
  }
}
