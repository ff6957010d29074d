package dev.shoal.internal.client;

import dev.shoal.protocol.v1.DeleteSecretRequest;
import dev.shoal.protocol.v1.PutSecretRequest;
import dev.shoal.protocol.v1.SecretServiceGrpc;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The named secrets of the engine this process uses, for {@code dev.shoal.Secret}. */
public final class SecretClient {
  private static final long DEADLINE_SECONDS = 60;

  private SecretClient() {}

  public static void put(String name, Map<String, String> values, boolean overwrite) {
    try {
      stub().putSecret(PutSecretRequest.newBuilder().setName(name).putAllValues(values).setOverwrite(overwrite)
          .build());
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "create secret '" + name + "'");
    }
  }

  public static boolean delete(String name) {
    try {
      return stub().deleteSecret(DeleteSecretRequest.newBuilder().setName(name).build()).getDeleted();
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "delete secret '" + name + "'");
    }
  }

  private static SecretServiceGrpc.SecretServiceBlockingStub stub() {
    return SecretServiceGrpc.newBlockingStub(Engines.current().channel())
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }
}
