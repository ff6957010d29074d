package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.protocol.v1.BlobServiceGrpc;
import dev.shoal.protocol.v1.ClientServiceGrpc;
import dev.shoal.protocol.v1.ContainerServiceGrpc;
import dev.shoal.protocol.v1.VolumeServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenAuthInterceptorTest {
  private static final List<ServiceDescriptor> SERVICES = List.of(ClientServiceGrpc.getServiceDescriptor(),
      ContainerServiceGrpc.getServiceDescriptor(), VolumeServiceGrpc.getServiceDescriptor(),
      BlobServiceGrpc.getServiceDescriptor());

  private static Set<String> allMethods() {
    Set<String> names = new HashSet<>();
    for (ServiceDescriptor service : SERVICES) {
      service.getMethods().stream().map(MethodDescriptor::getFullMethodName).forEach(names::add);
    }
    return names;
  }

  @Test
  void everyMethodOpenToContainersExists() {
    assertThat(allMethods()).containsAll(TokenAuthInterceptor.CONTAINER_METHODS);
  }

  @Test
  void containersCannotManageTheServer() {
    assertThat(TokenAuthInterceptor.CONTAINER_METHODS).doesNotContain(
        "dev.shoal.protocol.v1.ClientService/StartApp",
        "dev.shoal.protocol.v1.ClientService/StopApp",
        "dev.shoal.protocol.v1.ClientService/ListApps",
        "dev.shoal.protocol.v1.ClientService/UploadArtifact",
        "dev.shoal.protocol.v1.ClientService/StreamLogs",
        "dev.shoal.protocol.v1.VolumeService/DeleteVolume");
  }
}
