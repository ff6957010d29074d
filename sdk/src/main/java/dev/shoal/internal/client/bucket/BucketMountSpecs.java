package dev.shoal.internal.client.bucket;

import dev.shoal.BucketMount;
import dev.shoal.FunctionOptions;
import dev.shoal.Secret;
import dev.shoal.internal.client.PublicApi;
import dev.shoal.protocol.v1.BucketMountSpec;
import dev.shoal.protocol.v1.FunctionDefinition;
import java.net.URI;
import java.util.Map;

/**
 * A function's bucket mounts as its definition carries them. A mount's credentials take the path of the
 * function's other secrets, so that process containers and Kubernetes pods get them the same way and a missing
 * named secret stops the app from starting: a named secret joins the definition's secrets, a map's values its
 * environment.
 */
public final class BucketMountSpecs {
  private BucketMountSpecs() {}

  /** Adds the bucket mounts of {@code options}, and their secrets, to {@code definition}. */
  public static void addTo(FunctionDefinition.Builder definition, FunctionOptions options) {
    options.bucketMounts().forEach((name, mount) -> {
      definition.addBucketMounts(spec(name, mount));
      mount.secret().ifPresent(secret -> addSecret(definition, secret));
    });
  }

  private static BucketMountSpec spec(String name, BucketMount mount) {
    return BucketMountSpec.newBuilder()
        .setName(name)
        .setBucket(mount.bucket())
        .setPrefix(mount.prefix())
        .setReadOnly(mount.readOnly())
        .setEndpoint(mount.endpoint().map(URI::toString).orElse(""))
        .setSecretCredentials(mount.secret().isPresent())
        .setSecretName(mount.secret().flatMap(Secret::name).orElse(""))
        .build();
  }

  private static void addSecret(FunctionDefinition.Builder definition, Secret secret) {
    if (secret.name().isPresent()) {
      if (!definition.getSecretsList().contains(secret.name().get())) {
        definition.addSecrets(secret.name().get());
      }
    } else {
      Map<String, String> values = PublicApi.secretValues(secret);
      definition.putAllEnv(values);
    }
  }
}
