package dev.shoal.examples;

import dev.shoal.App;
import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.FunctionOptions;
import dev.shoal.MapOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.Retries;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The first example: square numbers in containers. It shows {@code remote}, an ordered and an unordered
 * {@code map}, and a {@code spawn} collected through {@code FunctionCall.fromId}.
 */
public final class Squares {
  static final App app = App.named("squares");

  static final RemoteFunction<Integer, Integer> square = app.function("square", x -> x * x,
      FunctionOptions.builder()
          .timeout(Duration.ofSeconds(30))
          .retries(Retries.builder().maxRetries(3).backoffCoefficient(2.0).initialDelay(Duration.ofSeconds(1)).build())
          .maxContainers(2)
          .build());

  static final RemoteFunction<Integer, Long> whereAmI = app.function("whereAmI", x -> ProcessHandle.current().pid());

  /** A job description; used by the tests as a class that belongs to another app. */
  public record Job(int n) {}

  private Squares() {}

  public static void main(String[] args) {
    try (AppRun run = app.run()) {
      System.out.println("caller pid " + ProcessHandle.current().pid()
          + ", container pid " + whereAmI.remote(0));

      System.out.println("square.remote(7) = " + square.remote(7));

      List<Integer> squares = square.map(IntStream.rangeClosed(1, 10).boxed().toList()).toList();
      System.out.println("in input order:   " + squares);

      System.out.print("as they complete: ");
      square.map(List.of(11, 12, 13, 14, 15), MapOptions.unordered()).forEach(v -> System.out.print(v + " "));
      System.out.println();

      long sum = square.map(IntStream.range(0, 100_000).map(i -> i % 1000).boxed()).stream()
          .mapToLong(Integer::longValue)
          .sum();
      System.out.println("sum of 100,000 squares (from a lazy stream of inputs): " + sum);

      FunctionCall<Integer> call = square.spawn(9);
      String id = call.id();
      System.out.println("spawned " + id);
      FunctionCall<Integer> again = FunctionCall.fromId(id);
      System.out.println(id + " -> " + again.get(Duration.ofSeconds(30)));
      long t = System.nanoTime();
      run.close();
      System.out.println("closed in " + (System.nanoTime() - t) / 1_000_000 + " ms");
    }
  }
}
