package dev.shoal.internal.controlplane.secret;

import static dev.shoal.internal.controlplane.UnaryCalls.unary;

import dev.shoal.internal.store.StoredSecret;
import dev.shoal.protocol.v1.DeleteSecretRequest;
import dev.shoal.protocol.v1.DeleteSecretResponse;
import dev.shoal.protocol.v1.ListSecretsRequest;
import dev.shoal.protocol.v1.ListSecretsResponse;
import dev.shoal.protocol.v1.PutSecretRequest;
import dev.shoal.protocol.v1.PutSecretResponse;
import dev.shoal.protocol.v1.SecretServiceGrpc;
import dev.shoal.protocol.v1.SecretSummary;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * {@code SecretService}: the engine's secrets for its clients and operators. A container may use none of it (the
 * token interceptor lets no container credential through to this service): it receives its own function's secrets
 * as environment variables when it starts, and nothing else.
 */
public final class SecretServiceImpl extends SecretServiceGrpc.SecretServiceImplBase {
  private final Supplier<Secrets> secrets;

  /** @param secrets the engine's secrets as they are at each call (an engine may say where it keeps them late) */
  public SecretServiceImpl(Supplier<Secrets> secrets) {
    this.secrets = secrets;
  }

  @Override
  public void putSecret(PutSecretRequest request, StreamObserver<PutSecretResponse> response) {
    unary(response, () -> {
      return PutSecretResponse.newBuilder()
          .setReplaced(secrets.get().put(request.getName(), request.getValuesMap(), request.getOverwrite()))
          .build();
    });
  }

  @Override
  public void listSecrets(ListSecretsRequest request, StreamObserver<ListSecretsResponse> response) {
    unary(response, () -> {
      ListSecretsResponse.Builder list = ListSecretsResponse.newBuilder();
      for (StoredSecret s : secrets.get().list()) {
        list.addSecrets(SecretSummary.newBuilder().setName(s.name()).addAllKeys(s.keys())
            .setCreatedMs(s.createdAt().toEpochMilli()).setUpdatedMs(s.updatedAt().toEpochMilli()));
      }
      return list.build();
    });
  }

  @Override
  public void deleteSecret(DeleteSecretRequest request, StreamObserver<DeleteSecretResponse> response) {
    unary(response, () -> {
      return DeleteSecretResponse.newBuilder().setDeleted(secrets.get().delete(request.getName())).build();
    });
  }
}
