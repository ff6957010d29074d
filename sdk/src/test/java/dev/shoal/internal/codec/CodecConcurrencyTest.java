package dev.shoal.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The codec is shared by every thread of a container; its caches must give the same answers under contention. */
class CodecConcurrencyTest {
  private static final ClassPolicy POLICY = ClassPolicy.forApp(CodecConcurrencyTest.class);

  @Test
  void concurrentEncodeAndDecodeGiveCorrectResults() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        Callable<Boolean> task = () -> {
          for (int i = 0; i < 5_000; i++) {
            Object value = Map.of("thread", seed, "i", i,
                "line", new CodecFixtures.Line(new CodecFixtures.Point(seed, i), new CodecFixtures.Point(i, seed), "t" + seed),
                "list", List.of(CodecFixtures.Color.values()[i % 3], "s" + i));
            if (!Codec.decode(Codec.encode(value), POLICY).equals(value)) {
              return false;
            }
          }
          return true;
        };
        results.add(pool.submit(task));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
