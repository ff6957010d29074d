package dev.shoal.internal.embedded;

import dev.shoal.internal.controlplane.BoundedStatusInterceptor;
import dev.shoal.internal.controlplane.ClientServiceImpl;
import dev.shoal.internal.controlplane.ContainerServiceImpl;
import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.controlplane.TokenAuthInterceptor;
import dev.shoal.internal.controlplane.blob.BlobServiceImpl;
import dev.shoal.internal.controlplane.blob.BlobStore;
import dev.shoal.internal.controlplane.secret.SecretServiceImpl;
import dev.shoal.internal.controlplane.volume.VolumeServiceImpl;
import dev.shoal.internal.controlplane.volume.Volumes;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.util.List;

/**
 * The gRPC services of a control plane, as the embedded engine and a server both expose them: the client, container,
 * volume, blob and secret services, each behind the token check (which also tells the services who calls) and with every
 * status it answers bounded to what a trailer carries. One list for both, so that a service added to one engine
 * cannot be forgotten, or left unguarded, in the other.
 */
public final class GuardedServices {
  private GuardedServices() {}

  /**
   * One definition per service, to add to every server of the engine: the embedded engine adds the same ones to its
   * in-process and its TCP server, so that what a container made over one transport is known to it over the other.
   */
  public static List<ServerServiceDefinition> of(ControlPlane controlPlane, Volumes volumes, BlobStore blobs,
      TokenAuthInterceptor auth) {
    List<BindableService> services = List.of(new ClientServiceImpl(controlPlane),
        new ContainerServiceImpl(controlPlane), new VolumeServiceImpl(volumes, controlPlane::appsMountingVolume),
        new BlobServiceImpl(blobs), new SecretServiceImpl(controlPlane::secrets));
    return services.stream()
        .map(service -> ServerInterceptors.intercept(service, new BoundedStatusInterceptor(), auth))
        .toList();
  }
}
