package dev.shoal.reliability;

/**
 * How much chaos a run makes: {@code bounded} in the default build, a few minutes for the whole module; {@code
 * full} (the scale of issue 16) with {@code -Pfull}, which sets the system property {@code chaos.scale}.
 *
 * @param mapInputs the inputs of the map whose containers are killed
 * @param containerKills how many containers are killed during it
 * @param serverKills how many times the server is killed while spawns and maps run
 */
record ChaosScale(int mapInputs, int containerKills, int serverKills) {
  static final ChaosScale BOUNDED = new ChaosScale(2_000, 20, 2);
  static final ChaosScale FULL = new ChaosScale(20_000, 100, 10);

  static ChaosScale configured() {
    String scale = System.getProperty("chaos.scale", "bounded");
    return switch (scale) {
      case "bounded" -> BOUNDED;
      case "full" -> FULL;
      default -> throw new IllegalArgumentException("chaos.scale must be bounded or full, was " + scale);
    };
  }
}
