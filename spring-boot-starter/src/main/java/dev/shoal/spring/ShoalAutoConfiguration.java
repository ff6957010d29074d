package dev.shoal.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Configures the Shoal client of a Spring Boot application: {@link ShoalClient} for deployed functions, and, when
 * the actuator is there, a health indicator ({@code shoal}) and the client's metrics.
 *
 * <p>The SDK reads its configuration from the system properties {@code shoal.server}, {@code shoal.token} and
 * {@code shoal.environment} above its variables and profile file; what the application's environment sets under
 * {@code shoal.} is passed to it there, once, when the client is made.
 */
@AutoConfiguration
@EnableConfigurationProperties(ShoalProperties.class)
public class ShoalAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ShoalClient shoalClient(ShoalProperties properties) {
    properties.serverIfSet().ifPresent(server -> System.setProperty("shoal.server", server));
    properties.tokenIfSet().ifPresent(token -> System.setProperty("shoal.token", token));
    properties.environmentIfSet().ifPresent(environment -> System.setProperty("shoal.environment", environment));
    return new ShoalClient(properties.shutdownTimeout(), new ClientStats());
  }

  /** The health indicator, when the application has Spring Boot's health support. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Health {
    @Bean
    @ConditionalOnEnabledHealthIndicator("shoal")
    @ConditionalOnMissingBean(name = "shoalHealthIndicator")
    ShoalHealthIndicator shoalHealthIndicator(ShoalProperties properties) {
      return new ShoalHealthIndicator(properties.healthTimeout());
    }
  }

  /** The client's metrics, when the application has Micrometer; Boot binds every meter binder to its registries. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    ShoalClientMetrics shoalClientMetrics(ShoalClient client) {
      return new ShoalClientMetrics(client);
    }
  }
}
