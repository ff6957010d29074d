package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.Secret;
import java.util.Map;

/**
 * An app whose function answers the value of an environment variable of its container, which a named secret, a
 * secret made from a map and the function's own env all set.
 */
public final class SecretApp {
  public static final String NAMED = "it-secret-creds";

  public static final App app = App.named("secret-app");

  public static final RemoteFunction<String, String> env = app.function("env",
      key -> System.getenv().getOrDefault(key, "<unset>"),
      FunctionOptions.builder()
          .env("API_KEY", "from-env").env("MODE", "from-env").env("PLAIN", "from-env")
          .secret(Secret.fromName(NAMED))
          .secret(Secret.fromMap(Map.of("MODE", "from-map", "API_KEY", "from-map")))
          .build());

  /** An app that names a secret nobody made. */
  public static final App missing = App.named("secret-missing-app");

  public static final RemoteFunction<String, String> needsMissing = missing.function("needsMissing", key -> key,
      FunctionOptions.builder().secret(Secret.fromName("it-secret-never-made")).build());

  private SecretApp() {}
}
