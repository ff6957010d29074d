package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.VolumeMount;
import io.grpc.Context;
import java.util.List;
import java.util.Optional;

/**
 * Who makes a gRPC call, as {@link TokenAuthInterceptor} established it from the call's credential: the holder of
 * the engine's token, or one live container. The service adapters read it from the call's {@link Context} and
 * check what a container may touch there, at the edge, before anything reaches the control plane.
 */
public sealed interface Caller {
  /** The caller of the current call; set by {@link TokenAuthInterceptor} for the whole call. */
  Context.Key<Caller> KEY = Context.key("shoal-caller");

  /** The token's holder: a client or an operator, who may do anything the protocol offers. */
  Admin ADMIN = new Admin();

  /**
   * The caller of the current call. A service that no interceptor guards (a benchmark wiring the control plane in
   * memory) serves only its own process, which is then trusted as the admin.
   */
  static Caller current() {
    Caller caller = KEY.get();
    return caller == null ? ADMIN : caller;
  }

  /** The holder of the engine's token. */
  record Admin() implements Caller {}

  /**
   * A live container, by its credential: the container's id, the app it belongs to, the function (pool) it serves
   * and the volumes mounted into that function, which are all the volumes it may use.
   */
  record Container(String containerId, String appId, String function, List<VolumeMount> mounts)
      implements Caller {
    public Container {
      mounts = List.copyOf(mounts);
    }

    /** The mount of the volume {@code name} in this container's function, if it has one. */
    public Optional<VolumeMount> mount(String name) {
      return mounts.stream().filter(m -> m.getName().equals(name)).findFirst();
    }

    /** How refusals name this container: its id and its app's. */
    public String describe() {
      return "container " + containerId + " of app " + appId;
    }
  }
}
