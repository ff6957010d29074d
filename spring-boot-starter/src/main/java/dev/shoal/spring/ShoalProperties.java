package dev.shoal.spring;

import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Shoal client's settings in a Spring application, under {@code shoal.}. Spring binds the variables
 * {@code SHOAL_SERVER}, {@code SHOAL_TOKEN} and {@code SHOAL_ENVIRONMENT} to the same names; what is not set here
 * is left to the SDK's own configuration (the active profile of {@code ~/.shoal/config.toml}).
 *
 * @param server the server's {@code host:port}
 * @param token the token the server expects
 * @param environment where deployed functions are looked up
 * @param shutdownTimeout how long the application's shutdown waits for spawns still on their way to the server
 * @param healthTimeout how long the health check waits for the server's answer
 */
@ConfigurationProperties("shoal")
public record ShoalProperties(String server, String token, String environment,
    @DefaultValue("30s") Duration shutdownTimeout, @DefaultValue("5s") Duration healthTimeout) {

  public ShoalProperties {
    if (shutdownTimeout.isNegative()) {
      throw new IllegalArgumentException("shoal.shutdown-timeout must not be negative, was " + shutdownTimeout);
    }
    if (healthTimeout.isNegative() || healthTimeout.isZero()) {
      throw new IllegalArgumentException("shoal.health-timeout must be positive, was " + healthTimeout);
    }
  }

  Optional<String> serverIfSet() {
    return blankToEmpty(server);
  }

  Optional<String> tokenIfSet() {
    return blankToEmpty(token);
  }

  Optional<String> environmentIfSet() {
    return blankToEmpty(environment);
  }

  private static Optional<String> blankToEmpty(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }
}
