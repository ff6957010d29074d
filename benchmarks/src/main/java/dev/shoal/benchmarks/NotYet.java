package dev.shoal.benchmarks;

import dev.shoal.benchmarks.Row.Better;
import dev.shoal.benchmarks.Row.Target;
import java.util.List;

/** Scenarios whose features later issues bring: listed, with their targets, so that their absence shows. */
final class NotYet {
  private NotYet() {}

  static List<Row> rows() {
    return List.of(
        new Row("map.batched", "batched function map throughput", "inputs/s", Better.HIGHER,
            Figure.notYet("not yet: batched functions come with a later issue"), List.of(), List.of()));
  }
}
