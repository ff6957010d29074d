package dev.shoal.benchmarks;

import java.util.List;

/**
 * One line of the results: Shoal's figure for a scenario, the peers measured beside it on the same inputs, and the
 * targets the figure is judged against.
 *
 * @param id a stable key for the JSON, such as {@code map.processes.2}
 * @param title what was measured, for the table
 */
public record Row(String id, String title, String unit, Better better, Figure shoal, List<Peer> peers,
    List<Target> targets) {

  /** Which way is faster: throughput wants higher figures, latency and memory lower ones. */
  public enum Better { HIGHER, LOWER }

  /** A peer's figure for the same scenario. */
  public record Peer(String name, Figure figure) {}

  /**
   * A figure Shoal should reach.
   *
   * @param source where the target comes from: issue 7, or the core engine's first step
   */
  public record Target(String source, double threshold, String text) {}

  public Row {
    peers = List.copyOf(peers);
    targets = List.copyOf(targets);
  }

  /** Shoal ÷ peer, when both were measured. */
  public Double ratio(Peer peer) {
    if (!shoal.ok() || !peer.figure().ok() || peer.figure().value() == 0) {
      return null;
    }
    return shoal.value() / peer.figure().value();
  }

  /** Whether Shoal's figure meets the target; null when there is no figure to judge. */
  public Boolean meets(Target target) {
    if (!shoal.ok()) {
      return null;
    }
    return better == Better.HIGHER ? shoal.value() >= target.threshold() : shoal.value() <= target.threshold();
  }
}
