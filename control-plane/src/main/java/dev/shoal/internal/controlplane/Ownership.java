package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.VolumeMount;
import java.util.List;
import java.util.Optional;

/** What the checks of a container's reach look up: which app a function, a call or a detached map belongs to. */
interface Ownership {
  /** The app that has a function, and whether that app is deployed; empty when no running app has it. */
  Optional<FunctionOwner> functionOwner(String functionId);

  /** The app whose function a call runs or ran; empty when the id names no call. */
  Optional<String> appOfCall(String callId);

  /** The app whose function a detached map runs or ran; empty when the id names no detached map. */
  Optional<String> appOfMap(String mapId);

  /** Every volume mount of every function a running app has; empty when no app has the id. */
  List<VolumeMount> mountsOfApp(String appId);

  /** Every named secret of every function a running app has; empty when no app has the id. */
  List<String> secretsOfApp(String appId);

  /** The app of a function, and whether it is deployed (which makes it callable from any app's containers). */
  record FunctionOwner(String appId, boolean deployed) {}
}
