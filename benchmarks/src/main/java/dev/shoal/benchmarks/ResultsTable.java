package dev.shoal.benchmarks;

import dev.shoal.benchmarks.Row.Peer;
import dev.shoal.benchmarks.Row.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * The results as a Markdown table, readable in a terminal and pasted as is into the README. A row takes as many
 * lines as it has peers or targets; failures are spelled out in full below the table.
 */
final class ResultsTable {
  private static final String[] HEADER =
      {"scenario", "unit", "Shoal", "peer", "peer figure", "Shoal ÷ peer", "target"};
  private static final int MAX_CELL_ERROR = 60;

  private ResultsTable() {}

  static String render(List<Row> rows, boolean judged) {
    List<String[]> lines = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Row row : rows) {
      int height = Math.max(1, Math.max(row.peers().size(), row.targets().size()));
      for (int i = 0; i < height; i++) {
        Peer peer = i < row.peers().size() ? row.peers().get(i) : null;
        Target target = i < row.targets().size() ? row.targets().get(i) : null;
        lines.add(new String[] {
            i == 0 ? row.title() : "",
            i == 0 ? row.unit() : "",
            i == 0 ? cell(row.shoal(), row.unit()) : "",
            peer == null ? (i == 0 ? "—" : "") : peer.name(),
            peer == null ? "" : cell(peer.figure(), row.unit()),
            peer == null ? "" : ratio(row.ratio(peer)),
            target == null ? "" : verdict(row, target, judged)});
      }
      noteFailure(failures, row.title() + ", Shoal", row.shoal());
      for (Peer peer : row.peers()) {
        noteFailure(failures, row.title() + ", " + peer.name(), peer.figure());
      }
    }
    StringBuilder out = new StringBuilder(markdown(lines));
    if (!failures.isEmpty()) {
      out.append("\nFailed measurements:\n");
      failures.stream().distinct().forEach(failure -> out.append("- ").append(failure).append('\n'));
    }
    return out.toString();
  }

  static String number(double value, String unit) {
    if (unit.equals("ms")) {
      return value < 1 ? String.format("%.3f", value) : value < 100 ? String.format("%.1f", value)
          : String.format("%,.0f", value);
    }
    if (unit.equals("MB")) {
      return String.format("%.1f", value);
    }
    return String.format("%,.0f", value);
  }

  private static String cell(Figure figure, String unit) {
    return switch (figure.status()) {
      case OK -> number(figure.value(), unit);
      case FAILED -> "FAILED: " + abbreviate(figure.error());
    };
  }

  private static String ratio(Double ratio) {
    if (ratio == null) {
      return "—";
    }
    return ratio >= 100 ? String.format("%,.0f", ratio) : ratio >= 1 ? String.format("%.2f", ratio)
        : String.format("%.3g", ratio);
  }

  private static String verdict(Row row, Target target, boolean judged) {
    String text = target.text() + " (" + target.source() + ")";
    Boolean met = row.meets(target);
    if (!judged) {
      return text + ": not judged in this mode";
    }
    return text + (met == null ? ": —" : met ? ": met" : ": SHORT");
  }

  private static void noteFailure(List<String> failures, String what, Figure figure) {
    if (figure.status() == Figure.Status.FAILED) {
      failures.add(what + ": " + figure.error());
    }
  }

  private static String abbreviate(String error) {
    String oneLine = error.replace('\n', ' ').replace('|', '/');
    return oneLine.length() <= MAX_CELL_ERROR ? oneLine : oneLine.substring(0, MAX_CELL_ERROR) + "…";
  }

  private static String markdown(List<String[]> lines) {
    int[] widths = new int[HEADER.length];
    for (int c = 0; c < HEADER.length; c++) {
      widths[c] = HEADER[c].length();
      for (String[] line : lines) {
        widths[c] = Math.max(widths[c], line[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    appendLine(out, HEADER, widths);
    String[] rule = new String[HEADER.length];
    for (int c = 0; c < HEADER.length; c++) {
      rule[c] = "-".repeat(widths[c]);
    }
    appendLine(out, rule, widths);
    for (String[] line : lines) {
      appendLine(out, line, widths);
    }
    return out.toString();
  }

  private static void appendLine(StringBuilder out, String[] cells, int[] widths) {
    out.append('|');
    for (int c = 0; c < cells.length; c++) {
      out.append(' ').append(cells[c]).append(" ".repeat(widths[c] - cells[c].length())).append(" |");
    }
    out.append('\n');
  }
}
