package dev.shoal.it;

import dev.shoal.internal.client.OutputSink;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What Shoal shows the caller's terminal, captured through the internal sink for the test's duration. Lines a
 * test calls bulky are kept only up to {@link #MAX_KEPT} lines in all, so that a flood of output cannot exhaust
 * the test JVM's memory; every other line is kept, and all are counted.
 */
final class CapturedOutput implements AutoCloseable {
  static final int MAX_KEPT = 200_000;

  private final List<String> lines = new ArrayList<>();
  private final AutoCloseable capture;
  private final Predicate<String> bulky;
  private long total;

  CapturedOutput() {
    this(line -> false);
  }

  CapturedOutput(Predicate<String> bulky) {
    this.bulky = bulky;
    capture = OutputSink.capture(this::add);
  }

  private synchronized void add(String line) {
    total++;
    if (lines.size() < MAX_KEPT || !bulky.test(line)) {
      lines.add(line);
    }
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  synchronized long total() {
    return total;
  }

  /** The kept lines that match {@code regex} in full. */
  List<String> matching(String regex) {
    Pattern p = Pattern.compile(regex);
    return lines().stream().filter(l -> p.matcher(l).matches()).toList();
  }

  boolean anyMatches(String regex) {
    return !matching(regex).isEmpty();
  }

  @Override
  public void close() throws Exception {
    capture.close();
  }
}
