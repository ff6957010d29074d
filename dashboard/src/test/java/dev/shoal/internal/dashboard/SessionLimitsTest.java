package dev.shoal.internal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Session limits come from the builder, else a system property, else the environment, else the defaults. */
class SessionLimitsTest {
  private static final Function<String, String> NONE = name -> null;

  @Test
  void withNothingConfiguredSessionsLastAnHourIdleAndADayAtMost() {
    SessionLimits limits = SessionLimits.resolve(null, null, NONE, NONE);
    assertThat(limits).isEqualTo(new SessionLimits(Duration.ofHours(1), Duration.ofHours(24)));
  }

  @Test
  void builderBeatsSystemPropertyWhichBeatsEnvironment() {
    Function<String, String> properties = Map.of(SessionLimits.IDLE_PROPERTY, "15m")::get;
    Function<String, String> environment = Map.of(SessionLimits.IDLE_ENV, "2h", SessionLimits.LIFETIME_ENV,
        "PT12H")::get;
    assertThat(SessionLimits.resolve(null, null, properties, environment))
        .isEqualTo(new SessionLimits(Duration.ofMinutes(15), Duration.ofHours(12)));
    assertThat(SessionLimits.resolve(Duration.ofMinutes(5), Duration.ofDays(7), properties, environment))
        .isEqualTo(new SessionLimits(Duration.ofMinutes(5), Duration.ofDays(7)));
    assertThat(SessionLimits.resolve(null, null, NONE, environment))
        .isEqualTo(new SessionLimits(Duration.ofHours(2), Duration.ofHours(12)));
  }

  @Test
  void badSettingsAreRefusedNamingWhereTheyCameFrom() {
    assertThatThrownBy(() -> SessionLimits.resolve(null, null, NONE,
        Map.of(SessionLimits.LIFETIME_ENV, "a week")::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SHOAL_DASHBOARD_SESSION_LIFETIME must be a duration such as 30m, 8h or 7d, was 'a week'");
    assertThatThrownBy(() -> SessionLimits.resolve(null, null,
        Map.of(SessionLimits.IDLE_PROPERTY, "0s")::get, NONE))
        .hasMessage("a dashboard session's idle timeout must be positive, was PT0S");
    assertThatThrownBy(() -> SessionLimits.resolve(Duration.ofHours(2), Duration.ofHours(1), NONE, NONE))
        .hasMessage("a dashboard session's idle timeout (PT2H) must not be longer than its lifetime (PT1H)");
    assertThatThrownBy(() -> Dashboard.builder().sessionLifetime(Duration.ofSeconds(-1)))
        .hasMessage("a dashboard session's lifetime must be positive, was PT-1S");
  }
}
