package dev.shoal.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The retry policy for an unreachable engine, on a fake clock whose sleeps only move time forward. */
class OutageRetryTest {
  private long now = 1_000;
  private final List<Long> sleeps = new ArrayList<>();

  private OutageRetry retry(Duration deadline) {
    return new OutageRetry(deadline, () -> now, nanos -> {
      sleeps.add(nanos);
      now += nanos;
    }, new SplittableRandom(7));
  }

  private static StatusRuntimeException unavailable() {
    return Status.UNAVAILABLE.withDescription("io exception").withCause(new ConnectException("Connection refused"))
        .asRuntimeException();
  }

  @Test
  void anAttemptThatFailsWhileTheEngineIsDownIsRetriedUntilItSucceeds() {
    AtomicInteger attempts = new AtomicInteger();

    String result = retry(Duration.ofMinutes(1)).call("spawn f", () -> {
      if (attempts.incrementAndGet() < 5) {
        throw unavailable();
      }
      return "fc-1";
    });

    assertThat(result).isEqualTo("fc-1");
    assertThat(attempts).hasValue(5);
    assertThat(sleeps).hasSize(4);
  }

  @Test
  void delaysGrowExponentiallyWithJitterInTheirUpperHalfUpToTheCap() {
    OutageRetry retry = retry(Duration.ofMinutes(1));
    long ceiling = OutageRetry.INITIAL_DELAY_NANOS;
    for (int failures = 1; failures <= 12; failures++) {
      long delay = retry.delayNanos(failures);
      assertThat(delay).as("delay after %d failures", failures).isBetween(ceiling / 2, ceiling);
      ceiling = Math.min(ceiling * 2, OutageRetry.MAX_DELAY_NANOS);
    }
    assertThat(retry.delayNanos(1_000)).isBetween(OutageRetry.MAX_DELAY_NANOS / 2, OutageRetry.MAX_DELAY_NANOS);
  }

  @Test
  void anEngineThatStaysDownIsReportedOnceTheDeadlineHasPassedWithHowLongItWasTried() {
    AtomicInteger attempts = new AtomicInteger();
    long start = now;

    assertThatThrownBy(() -> retry(Duration.ofSeconds(30)).call("spawn f", () -> {
      attempts.incrementAndGet();
      throw unavailable();
    }))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasMessageContaining("io exception")
        .hasMessageContaining("tried to spawn f " + attempts.get() + " times over 30000 ms")
        .hasMessageContaining("SHOAL_RETRY_DEADLINE");
    assertThat(now - start).isEqualTo(TimeUnit.SECONDS.toNanos(30));
    assertThat(attempts.get()).isGreaterThan(6);
  }

  @Test
  void aCallersEarlierDeadlineEndsTheRetriesFirst() {
    long callerDeadline = now + TimeUnit.SECONDS.toNanos(2);

    assertThatThrownBy(() -> retry(Duration.ofMinutes(1)).call("get the result", callerDeadline, () -> {
      throw unavailable();
    })).isInstanceOf(StatusRuntimeException.class);

    assertThat(now).isEqualTo(callerDeadline);
  }

  @Test
  void failuresTheEngineMeantAreNeverRetried() {
    for (Status status : List.of(Status.NOT_FOUND, Status.INVALID_ARGUMENT, Status.PERMISSION_DENIED,
        Status.UNAUTHENTICATED, Status.FAILED_PRECONDITION, Status.INTERNAL, Status.CANCELLED,
        Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 9.9s"))) {
      AtomicInteger attempts = new AtomicInteger();
      StatusRuntimeException meant = status.asRuntimeException();

      assertThatThrownBy(() -> retry(Duration.ofMinutes(1)).call("look up f", () -> {
        attempts.incrementAndGet();
        throw meant;
      })).isSameAs(meant);
      assertThat(attempts).as(status.getCode().toString()).hasValue(1);
    }
    assertThat(sleeps).isEmpty();
  }

  @Test
  void aDeadlineThatRanOutWhileConnectingIsAnOutage() {
    StatusRuntimeException connecting = Status.DEADLINE_EXCEEDED
        .withDescription("deadline exceeded after 0.99s. [closed=[], open=[[waiting_for_connection]]]")
        .asRuntimeException();

    assertThat(OutageRetry.isOutage(connecting)).isTrue();
    assertThat(OutageRetry.neverSent(connecting)).isTrue();
  }

  @Test
  void onlyAFailureToConnectProvesARequestWasNeverSent() {
    assertThat(OutageRetry.neverSent(unavailable())).isTrue();
    assertThat(OutageRetry.neverSent(Status.UNAVAILABLE.withDescription("Connection closed after GOAWAY")
        .asRuntimeException())).isFalse();
    assertThat(OutageRetry.neverSent(Status.UNAVAILABLE.withCause(new java.io.IOException("Connection reset"))
        .asRuntimeException())).isFalse();
    assertThat(OutageRetry.neverSent(Status.NOT_FOUND.asRuntimeException())).isFalse();
  }

  @Test
  void aZeroDeadlineTurnsRetriesOff() {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(() -> retry(Duration.ZERO).call("spawn f", () -> {
      attempts.incrementAndGet();
      throw unavailable();
    })).isInstanceOf(StatusRuntimeException.class);

    assertThat(attempts).hasValue(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void anInterruptedWaitEndsTheRetriesAsCancelled() {
    OutageRetry retry = new OutageRetry(Duration.ofMinutes(1), () -> now, nanos -> {
      throw new InterruptedException();
    }, new SplittableRandom(7));

    assertThatThrownBy(() -> retry.call("spawn f", () -> {
      throw unavailable();
    })).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED));
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void deadlinesAreReadInSecondsMinutesMillisecondsOrIso() {
    assertThat(OutageRetry.parseDeadline("p", "90")).isEqualTo(Duration.ofSeconds(90));
    assertThat(OutageRetry.parseDeadline("p", "90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(OutageRetry.parseDeadline("p", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(OutageRetry.parseDeadline("p", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(OutageRetry.parseDeadline("p", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(OutageRetry.parseDeadline("p", "PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(OutageRetry.parseDeadline("p", "0")).isZero();
  }

  @Test
  void aDeadlineThatBreaksTheRuleIsRefusedNamingTheSettingAndTheRule() {
    assertThatThrownBy(() -> OutageRetry.parseDeadline("SHOAL_RETRY_DEADLINE", "soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SHOAL_RETRY_DEADLINE must be a duration such as 90s, 2m, 500ms or PT1M, was 'soon'");
    assertThatThrownBy(() -> OutageRetry.parseDeadline("shoal.retryDeadline", "2d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shoal.retryDeadline must be a duration");
    assertThatThrownBy(() -> OutageRetry.parseDeadline("shoal.retryDeadline", "PT25H"))
        .hasMessage("shoal.retryDeadline must be 0..1 day (0 turns retries off), was 'PT25H'");
  }

  @Test
  void theDeadlineIsAMinuteUnlessConfigured() {
    String before = System.getProperty(OutageRetry.DEADLINE_PROPERTY);
    try {
      System.clearProperty(OutageRetry.DEADLINE_PROPERTY);
      if (System.getenv(OutageRetry.DEADLINE_VARIABLE) == null) {
        assertThat(OutageRetry.configuredDeadline()).isEqualTo(Duration.ofMinutes(1));
      }
      System.setProperty(OutageRetry.DEADLINE_PROPERTY, "5m");
      assertThat(OutageRetry.configured().deadline()).isEqualTo(Duration.ofMinutes(5));
    } finally {
      if (before == null) {
        System.clearProperty(OutageRetry.DEADLINE_PROPERTY);
      } else {
        System.setProperty(OutageRetry.DEADLINE_PROPERTY, before);
      }
    }
  }
}
