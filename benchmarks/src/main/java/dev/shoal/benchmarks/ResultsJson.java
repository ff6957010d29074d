package dev.shoal.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shoal.benchmarks.Row.Peer;
import dev.shoal.benchmarks.Row.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results as JSON ({@code results/latest.json}): every figure with its details, each peer's ratio, each target's
 * verdict. A figure that is not a number (failed, not yet) has a null value and says why.
 */
final class ResultsJson {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultsJson() {}

  static void write(Path file, Instant date, Sizes sizes, Machine machine, double loadAverageAtEnd, List<Row> rows)
      throws IOException {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", date.toString());
    report.put("mode", sizes.mode());
    report.put("judged", sizes.judged());
    report.put("machine", machine);
    report.put("loadAverageAtEnd", loadAverageAtEnd);
    report.put("sizes", sizes);
    report.put("rows", rows.stream().map(row -> row(row, sizes.judged())).toList());
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    JSON.writeValue(file.toFile(), report);
  }

  private static Map<String, Object> row(Row row, boolean judged) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", row.id());
    json.put("title", row.title());
    json.put("unit", row.unit());
    json.put("better", row.better().name().toLowerCase(Locale.ROOT));
    json.put("shoal", figure(row.shoal()));
    json.put("peers", row.peers().stream().map(peer -> peer(row, peer)).toList());
    json.put("targets", row.targets().stream().map(target -> target(row, target, judged)).toList());
    return json;
  }

  private static Map<String, Object> peer(Row row, Peer peer) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", peer.name());
    json.putAll(figure(peer.figure()));
    json.put("shoalDividedByPeer", row.ratio(peer));
    return json;
  }

  private static Map<String, Object> target(Row row, Target target, boolean judged) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("source", target.source());
    json.put("text", target.text());
    json.put("threshold", target.threshold());
    json.put("met", judged ? row.meets(target) : null);
    return json;
  }

  private static Map<String, Object> figure(Figure figure) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("status", figure.status().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    json.put("value", figure.ok() ? figure.value() : null);
    if (figure.error() != null) {
      json.put("error", figure.error());
    }
    json.put("details", figure.details());
    return json;
  }
}
