package dev.shoal.examples.spring;

import dev.shoal.App;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import java.time.Duration;
import java.util.Map;

/**
 * The work behind the service: an app deployed once ({@code shoal deploy --class
 * dev.shoal.examples.spring.ReportJobs}, or {@code ReportJobs.app.deploy()}) and called by name from the service,
 * which never runs it itself.
 */
public final class ReportJobs {
  public static final App app = App.named("reports");

  /**
   * Counts the words of a document; stands for any job too slow for a web request. The report is a map, a JDK
   * type, since a caller that finds the function by name decodes only JDK types unless told otherwise
   * ({@code shoal.codec.allow}).
   */
  public static final RemoteFunction<String, Map<String, Integer>> render = app.function("render", text -> {
    if (text.isBlank()) {
      throw new IllegalArgumentException("the document is empty");
    }
    return Map.of("words", text.strip().split("\\s+").length, "characters", text.length());
  }, FunctionOptions.builder().timeout(Duration.ofMinutes(5)).retries(2).build());

  private ReportJobs() {}
}
