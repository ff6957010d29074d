package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.VolumeMount;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Optional;

/**
 * What a container's credential may reach, checked by the service adapters before a request goes on: its own
 * app's functions, calls and maps; any deployed function, and the calls and maps that its app made on one; only the
 * volumes mounted into its own function; and new functions only for its own app, mounting nothing its app does not
 * mount already. The token's holder passes every check.
 *
 * <p>A refusal is PERMISSION_DENIED naming the method, the container and the resource. An id that names nothing
 * is let through, so that the control plane answers NOT_FOUND as it would to anyone: a container learns nothing
 * from the refusal that it could not learn from the answer.
 */
public final class ContainerScope {
  private final Ownership ownership;
  private final CallOrigins origins;

  ContainerScope(Ownership ownership, CallOrigins origins) {
    this.ownership = ownership;
    this.origins = origins;
  }

  /** Whether {@code caller} may call, spawn, map or read the stats of {@code functionId}. */
  void function(Caller caller, String method, String functionId) {
    if (!(caller instanceof Caller.Container c)) {
      return;
    }
    Optional<Ownership.FunctionOwner> owner = ownership.functionOwner(functionId);
    if (owner.isPresent() && !owner.get().appId().equals(c.appId()) && !owner.get().deployed()) {
      throw denied(method, c, "function " + functionId + " of app " + owner.get().appId()
          + ", which is neither its own app nor deployed");
    }
  }

  /**
   * Records that {@code caller} made {@code callId} on {@code functionId}, when that is another app's (deployed)
   * function: the call is then its app's to wait for, poll and cancel as well.
   */
  void made(Caller caller, String functionId, String callId) {
    if (caller instanceof Caller.Container c) {
      ownership.functionOwner(functionId)
          .filter(owner -> !owner.appId().equals(c.appId()))
          .ifPresent(owner -> origins.madeBy(callId, c.appId()));
    }
  }

  /** Whether {@code caller} may wait for, poll or cancel the call {@code callId}. */
  void call(Caller caller, String method, String callId) {
    if (caller instanceof Caller.Container c) {
      requireOwn(method, c, "call", callId, ownership.appOfCall(callId));
    }
  }

  /** Whether {@code caller} may read the progress of, or cancel, the detached map {@code mapId}. */
  void map(Caller caller, String method, String mapId) {
    if (caller instanceof Caller.Container c) {
      requireOwn(method, c, "map", mapId, ownership.appOfMap(mapId));
    }
  }

  private void requireOwn(String method, Caller.Container c, String kind, String id, Optional<String> app) {
    if (app.isEmpty() || app.get().equals(c.appId())
        || origins.appThatMade(id).filter(c.appId()::equals).isPresent()) {
      return;
    }
    throw denied(method, c, kind + " " + id + ", which belongs to app " + app.get()
        + " and was not made by its own app");
  }

  /**
   * Whether {@code caller} may add {@code functions} to the app {@code appId}: only to its own, and only functions
   * that mount volumes its app mounts already (and may create only those its app may create), so that a container
   * cannot widen its own reach by starting a pool that mounts more.
   */
  void register(Caller caller, String method, String appId, List<FunctionDefinition> functions) {
    if (!(caller instanceof Caller.Container c)) {
      return;
    }
    if (!appId.equals(c.appId())) {
      throw denied(method, c, "app " + appId + ", which is not its own");
    }
    List<VolumeMount> mounted = ownership.mountsOfApp(appId);
    List<String> secrets = ownership.secretsOfApp(appId);
    for (FunctionDefinition f : functions) {
      for (String secret : f.getSecretsList()) {
        if (!secrets.contains(secret)) {
          // Else a container could read any secret by naming it in a pool it adds and calling that pool.
          throw denied(method, c, "secret " + BoundedQuote.of(secret) + " for a new function "
              + BoundedQuote.of(f.getName()) + ": no function of its app uses it");
        }
      }
      for (VolumeMount wanted : f.getVolumesList()) {
        boolean covered = mounted.stream().anyMatch(m -> m.getName().equals(wanted.getName())
            && (m.getCreateIfMissing() || !wanted.getCreateIfMissing()));
        if (!covered) {
          throw denied(method, c, "volume '" + wanted.getName() + "' for a new function "
              + BoundedQuote.of(f.getName()) + ": no function of its app mounts it"
              + (wanted.getCreateIfMissing() ? " with createIfMissing" : ""));
        }
      }
    }
  }

  /** Whether {@code caller} may speak for the container {@code containerId}: only for itself. */
  static void container(Caller caller, String method, String containerId) {
    if (caller instanceof Caller.Container c && !c.containerId().equals(containerId)) {
      throw denied(method, c, "container " + containerId + ", which is not itself");
    }
  }

  /**
   * Whether {@code caller} may use the volume {@code name} through {@code method}, creating it if {@code create}:
   * only a volume mounted into its own function, and created only if that mount says createIfMissing.
   */
  public static void volume(Caller caller, String method, String name, boolean create) {
    if (!(caller instanceof Caller.Container c)) {
      return;
    }
    Optional<VolumeMount> mount = c.mount(name);
    if (mount.isEmpty()) {
      throw denied(method, c, "volume '" + name + "', which is not mounted into its function "
          + BoundedQuote.of(c.function()));
    }
    if (create && !mount.get().getCreateIfMissing()) {
      throw denied(method, c, "volume '" + name + "' to create it: its function " + BoundedQuote.of(c.function())
          + " mounts it without createIfMissing");
    }
  }

  private static StatusRuntimeException denied(String method, Caller.Container c, String resource) {
    return Status.PERMISSION_DENIED
        .withDescription(method + ": " + c.describe() + " may not use " + resource)
        .asRuntimeException();
  }
}
