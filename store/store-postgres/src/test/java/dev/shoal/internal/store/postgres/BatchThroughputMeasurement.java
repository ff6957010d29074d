package dev.shoal.internal.store.postgres;

import static dev.shoal.internal.store.StoreFixtures.at;
import static dev.shoal.internal.store.StoreFixtures.randomBytes;

import dev.shoal.internal.store.CallCompletion;
import dev.shoal.internal.store.CallState;
import dev.shoal.internal.store.StoredCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A measurement, not a test: how long the PostgreSQL store takes to insert and then complete 20,000 calls in
 * batches of 500, against the embedded server. It asserts nothing about time, since the machines that run the
 * build are shared and noisy, and runs only when asked:
 *
 * <pre>
 * ./mvnw -o -f store/store-postgres/pom.xml test -Dtest=BatchThroughputMeasurement -Dshoal.measure=true
 * cat store/store-postgres/target/surefire-reports/*BatchThroughputMeasurement-output.txt
 * </pre>
 *
 * <p>It measures twice: with the embedded server's default of {@code synchronous_commit = off}, and with it on,
 * as a server that keeps real state runs, where every commit waits for its WAL to reach the disk. Each time, the
 * calls are inserted once without idempotency keys and once with a random key each, as the SDK's spawns carry,
 * which the store checks against a unique index.
 */
@EnabledIfSystemProperty(named = "shoal.measure", matches = "true")
class BatchThroughputMeasurement {
  private static final int CALLS = 20_000;
  private static final int BATCH = 500;
  private static final int PAYLOAD_BYTES = 256;
  private static final int ROUNDS = 3;
  private static final int SINGLE_ROW_CALLS = 1_000;

  private final byte[] payload = randomBytes(PAYLOAD_BYTES, 7);

  @Test
  void insertAndCompleteTwentyThousandCallsInBatchesOfFiveHundred() {
    System.out.printf(Locale.ROOT, "%,d calls in batches of %d, %d-byte arguments and results;"
        + " round 0 warms up the JIT and the server's caches%n", CALLS, BATCH, PAYLOAD_BYTES);
    for (boolean keyed : new boolean[] {false, true}) {
      String keys = keyed ? ", keyed" : ", no keys";
      measure("synchronous_commit=off" + keys, TestDatabase.freshSchema(), keyed);
      PGSimpleDataSource durable = TestDatabase.freshSchema();
      durable.setOptions("-c synchronous_commit=on");
      measure("synchronous_commit=on" + keys, durable, keyed);
    }
  }

  private void measure(String setting, PGSimpleDataSource dataSource, boolean keyed) {
    try (PostgresStore store = new PostgresStore(dataSource, 4)) {
      for (int round = 0; round <= ROUNDS; round++) {
        List<StoredCall> calls = calls(setting + "-r" + round, CALLS).stream()
            .map(c -> keyed ? c.withIdempotencyKey(UUID.randomUUID().toString()) : c)
            .toList();
        List<CallCompletion> outcomes = calls.stream().map(this::success).toList();

        long start = System.nanoTime();
        for (int from = 0; from < CALLS; from += BATCH) {
          store.insertCalls(calls.subList(from, from + BATCH));
        }
        long inserted = System.nanoTime();
        for (int from = 0; from < CALLS; from += BATCH) {
          store.completeCalls(outcomes.subList(from, from + BATCH));
        }
        long completed = System.nanoTime();

        System.out.printf(Locale.ROOT,
            "%s round %d: insert %,d ms (%,.0f calls/s, %.1f ms/batch), complete %,d ms (%,.0f calls/s,"
                + " %.1f ms/batch)%n",
            setting, round, millis(inserted - start), CALLS / seconds(inserted - start),
            millis(inserted - start) / (double) (CALLS / BATCH), millis(completed - inserted),
            CALLS / seconds(completed - inserted), millis(completed - inserted) / (double) (CALLS / BATCH));
      }

      // For comparison, what the same work costs when every call is a batch of its own.
      List<StoredCall> singles = calls(setting + "-single", SINGLE_ROW_CALLS).stream()
          .map(c -> keyed ? c.withIdempotencyKey(UUID.randomUUID().toString()) : c)
          .toList();
      long start = System.nanoTime();
      singles.forEach(call -> store.insertCalls(List.of(call)));
      long inserted = System.nanoTime();
      singles.forEach(call -> store.completeCalls(List.of(success(call))));
      long completed = System.nanoTime();
      System.out.printf(Locale.ROOT, "%s one call per batch, %,d calls: insert %.3f ms/call, complete %.3f ms/call%n",
          setting, SINGLE_ROW_CALLS, (inserted - start) / 1e6 / SINGLE_ROW_CALLS,
          (completed - inserted) / 1e6 / SINGLE_ROW_CALLS);
    }
  }

  private List<StoredCall> calls(String prefix, int count) {
    List<StoredCall> calls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      calls.add(StoredCall.pending(prefix + "-" + i, "app-1", "fn-1", "map-" + prefix, i, payload, at(0)));
    }
    return calls;
  }

  private CallCompletion success(StoredCall call) {
    return new CallCompletion(call.callId(), CallState.SUCCEEDED, payload, at(1));
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
