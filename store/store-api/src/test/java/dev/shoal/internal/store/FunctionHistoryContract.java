package dev.shoal.internal.store;

import static dev.shoal.internal.store.StoreFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every store's {@link FunctionHistory} must have; {@link StateStoreContract} takes these tests in,
 * so every store runs them.
 */
public interface FunctionHistoryContract {
  /** The store under test, fresh and empty for each test. */
  StateStore store();

  private FunctionHistory history() {
    return store().functionHistory();
  }

  private static HistoryPoint point(String functionId, long at, double throughput) {
    return new HistoryPoint(functionId, at(at), throughput, 12, 250, 3, 2);
  }

  private static StoredFailure failure(String functionId, String callId, String inputId, long finishedAt) {
    return new StoredFailure(functionId, callId, "spawn", at(1), inputId, 4, 3, "failed",
        "java.lang.IllegalStateException", "java.lang.IllegalStateException: no\n\tat Job.work(Job.java:7)\n",
        at(finishedAt));
  }

  @Test
  default void historyPointsAreReadBackOldestFirstFromTheInstantAsked() {
    history().addPoints(List.of(point("fn-1", 120, 1.5), point("fn-1", 0, Double.NaN), point("fn-2", 60, 9),
        point("fn-1", 60, 2.25)));

    assertThat(history().points("fn-1", at(0))).containsExactly(point("fn-1", 0, Double.NaN),
        point("fn-1", 60, 2.25), point("fn-1", 120, 1.5));
    assertThat(history().points("fn-1", at(60))).extracting(HistoryPoint::at).containsExactly(at(60), at(120));
    assertThat(history().points("fn-2", at(0))).containsExactly(point("fn-2", 60, 9));
    assertThat(history().points("fn-3", at(0))).isEmpty();
  }

  @Test
  default void aHistoryPointOfTheSameFunctionAndInstantReplacesTheOneStored() {
    history().addPoints(List.of(point("fn-1", 0, 1)));
    HistoryPoint later = new HistoryPoint("fn-1", at(0), 4, 30, 900, 7, 5);
    history().addPoints(List.of(later));

    assertThat(history().points("fn-1", at(0))).containsExactly(later);
  }

  @Test
  default void failuresAreReadBackNewestFirstWithTheirStackTraces() {
    history().addFailures(List.of(failure("fn-1", "fc-1", "in-1", 10), failure("fn-1", "fc-2", "in-1", 30),
        failure("fn-2", "fc-3", "in-1", 20), failure("fn-1", "fc-1", "in-2", 20)));

    assertThat(history().failures("fn-1", 10)).containsExactly(failure("fn-1", "fc-2", "in-1", 30),
        failure("fn-1", "fc-1", "in-2", 20), failure("fn-1", "fc-1", "in-1", 10));
    assertThat(history().failures("fn-1", 2)).extracting(StoredFailure::finishedAt).containsExactly(at(30), at(20));
    assertThat(history().failures("fn-1", 1).getFirst().error()).contains("at Job.work(Job.java:7)");
    assertThat(history().failures("fn-3", 10)).isEmpty();
  }

  @Test
  default void aFailureStoredTwiceKeepsItsFirstRow() {
    history().addFailures(List.of(failure("fn-1", "fc-1", "in-1", 10)));
    history().addFailures(List.of(failure("fn-1", "fc-1", "in-1", 99)));

    assertThat(history().failures("fn-1", 10)).containsExactly(failure("fn-1", "fc-1", "in-1", 10));
  }

  @Test
  default void aFunctionKeepsOnlyItsNewestFailures() {
    int added = FunctionHistory.FAILURES_KEPT + 5;
    history().addFailures(IntStream.range(0, added)
        .mapToObj(i -> failure("fn-1", "fc-" + i, "in-1", i)).toList());
    history().addFailures(List.of(failure("fn-2", "fc-x", "in-1", 0)));

    assertThat(history().failures("fn-1", 1_000)).hasSize(FunctionHistory.FAILURES_KEPT)
        .extracting(StoredFailure::callId).first().isEqualTo("fc-" + (added - 1));
    assertThat(history().failures("fn-1", 1_000)).extracting(StoredFailure::callId).last().isEqualTo("fc-5");
    assertThat(history().failures("fn-2", 10)).hasSize(1);
  }

  @Test
  default void forgettingDropsPointsAndFailuresOlderThanTheirCutoffs() {
    history().addPoints(List.of(point("fn-1", 0, 1), point("fn-1", 60, 2), point("fn-2", 30, 3)));
    history().addFailures(List.of(failure("fn-1", "fc-1", "in-1", 10), failure("fn-1", "fc-2", "in-1", 50)));

    assertThat(history().forgetBefore(at(60), at(20))).isEqualTo(3);

    assertThat(history().points("fn-1", at(0))).containsExactly(point("fn-1", 60, 2));
    assertThat(history().points("fn-2", at(0))).isEmpty();
    assertThat(history().failures("fn-1", 10)).extracting(StoredFailure::callId).containsExactly("fc-2");
  }
}
