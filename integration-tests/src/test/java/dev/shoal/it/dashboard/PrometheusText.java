package dev.shoal.it.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Prometheus's text exposition format strictly enough for tests: every line must be a comment
 * ({@code # HELP}, {@code # TYPE}), blank, or a sample {@code name{label="value",...} number}; anything else is
 * an error naming the line.
 */
final class PrometheusText {
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})?"
          + " ([-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|NaN|\\+Inf|-Inf))( [0-9]+)?");
  private static final Pattern TYPE = Pattern.compile(
      "# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped)");

  private PrometheusText() {}

  /** Every sample, keyed by its name and labels exactly as written. */
  static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    int n = 0;
    for (String line : text.split("\n")) {
      n++;
      if (line.isBlank() || line.startsWith("# HELP ")) {
        continue;
      }
      if (line.startsWith("#")) {
        if (!TYPE.matcher(line).matches()) {
          throw new IllegalArgumentException("line " + n + " is not a valid comment: " + line);
        }
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("line " + n + " is not a valid sample: " + line);
      }
      String key = m.group(1) + (m.group(2) == null ? "" : m.group(2));
      if (samples.put(key, Double.parseDouble(m.group(3).replace("+Inf", "Infinity").replace("-Inf", "-Infinity")))
          != null) {
        throw new IllegalArgumentException("line " + n + " repeats the series " + key);
      }
    }
    return samples;
  }

  /** The value of the series named {@code name} whose labels include every one of {@code labels}; 0 if none. */
  static double value(Map<String, Double> samples, String name, String... labels) {
    return samples.entrySet().stream()
        .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
        .filter(e -> java.util.Arrays.stream(labels).allMatch(l -> e.getKey().contains(l)))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }
}
