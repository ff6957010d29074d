package dev.shoal.internal.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A table for people: a header row (left out when every header is empty) and columns padded to their widest cell. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();

  Table(String... headers) {
    rows.add(headers);
  }

  Table row(Object... cells) {
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      row[i] = cells[i] == null ? "-" : cells[i].toString();
    }
    rows.add(row);
    return this;
  }

  boolean isEmpty() {
    return rows.size() == 1;
  }

  void print(PrintStream out) {
    int columns = rows.getFirst().length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    boolean header = java.util.Arrays.stream(rows.getFirst()).anyMatch(h -> !h.isEmpty());
    for (String[] row : header ? rows : rows.subList(1, rows.size())) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
