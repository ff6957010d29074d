package dev.shoal.internal.controlplane.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rule of what keeps a blob, walked with a clock that the test moves. */
class BlobLedgerTest {
  private static final String A = "a".repeat(64);
  private static final Duration PIN = Duration.ofMillis(BlobLedger.PIN_MILLIS);
  private static final Duration DELIVERY = Duration.ofHours(1);

  private final MovableClock clock = new MovableClock();
  private final BlobLedger ledger = new BlobLedger(clock, DELIVERY.toMillis());

  @Test
  void uploadedBlobIsPinnedForThePayloadToComeThenUnneeded() {
    ledger.stored(A);
    assertThat(ledger.unneeded(Set.of())).isEmpty();
    clock.advance(PIN.minusMillis(1));
    assertThat(ledger.unneeded(Set.of())).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(ledger.unneeded(Set.of())).containsExactly(A);
    assertThat(ledger.forgetIfUnneeded(A, Set.of())).isTrue();
    assertThat(ledger.has(A)).isFalse();
  }

  @Test
  void findingABlobPinsItAgain() {
    ledger.stored(A);
    clock.advance(PIN.minusMinutes(1));
    assertThat(ledger.pin(A)).isTrue();
    clock.advance(PIN.minusMinutes(1));
    assertThat(ledger.unneeded(Set.of())).isEmpty();
    assertThat(ledger.pin("b".repeat(64))).isFalse();
  }

  @Test
  void inputInFlightHoldsItsArgumentUntilReleasedAndCountsEveryHold() {
    ledger.stored(A);
    assertThat(ledger.holdInput(A)).isTrue();
    assertThat(ledger.holdInput(A)).isTrue();
    clock.advance(PIN.multipliedBy(10));
    ledger.releaseInput(A);
    assertThat(ledger.unneeded(Set.of())).isEmpty();
    ledger.releaseInput(A);
    assertThat(ledger.unneeded(Set.of())).containsExactly(A);
    assertThat(ledger.holdInput("b".repeat(64))).as("a blob the store lacks").isFalse();
  }

  @Test
  void deliveredResultIsKeptUntilDownloadedOrAtMostTheDeliveryPeriod() {
    ledger.stored(A);
    ledger.delivering(A);
    clock.advance(PIN);
    assertThat(ledger.unneeded(Set.of())).isEmpty();
    ledger.delivered(A);
    assertThat(ledger.unneeded(Set.of())).containsExactly(A);

    ledger.delivering(A);
    clock.advance(DELIVERY.minusMillis(1));
    assertThat(ledger.unneeded(Set.of())).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(ledger.unneeded(Set.of())).as("a caller that never downloads").containsExactly(A);
  }

  @Test
  void blobTheStoreNeedsIsKeptWhateverElseHoldsIt() {
    ledger.stored(A);
    clock.advance(PIN);
    assertThat(ledger.unneeded(Set.of(A))).isEmpty();
    assertThat(ledger.forgetIfUnneeded(A, Set.of(A))).isFalse();
    assertThat(ledger.forgetIfUnneeded(A, Set.of())).isTrue();
  }

  @Test
  void blobBeingUploadedIsNeitherFoundNorDeleted() {
    ledger.uploadStarted(A);
    assertThat(ledger.pin(A)).isFalse();
    assertThat(ledger.holdInput(A)).isFalse();
    clock.advance(PIN.multipliedBy(2));
    assertThat(ledger.unneeded(Set.of())).isEmpty();
    ledger.uploadEnded(A, true);
    assertThat(ledger.pin(A)).isTrue();
    clock.advance(PIN);
    assertThat(ledger.unneeded(Set.of())).containsExactly(A);
  }

  @Test
  void failedUploadLeavesNothingBehind() {
    ledger.uploadStarted(A);
    ledger.uploadEnded(A, false);
    assertThat(ledger.has(A)).isFalse();
    assertThat(ledger.unneeded(Set.of())).isEmpty();
  }
}
