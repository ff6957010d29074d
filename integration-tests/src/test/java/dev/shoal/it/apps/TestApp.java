package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.RemoteFunction2;
import dev.shoal.RemoteFunction3;
import dev.shoal.Shoal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The app the end-to-end tests run; a container loads this class to find its functions. */
public final class TestApp {
  public static final App app = App.named("test-app");

  public static final RemoteFunction<Integer, Integer> square = app.function("square", x -> x * x);

  public static final RemoteFunction<Integer, Long> pid = app.function("pid", x -> ProcessHandle.current().pid());

  public static final RemoteFunction<String, String> fail = app.function("fail", message -> {
    throw new IllegalStateException(message);
  });

  public static final RemoteFunction<Integer, Integer> failOnSeven = app.function("failOnSeven", x -> {
    if (x == 7) {
      throw new IllegalArgumentException("seven is not allowed");
    }
    return x * 10;
  });

  /** Adds one, on up to two containers: many inputs at once over more than one container. */
  public static final RemoteFunction<Integer, Integer> increment =
      app.function("increment", x -> x + 1, FunctionOptions.builder().maxContainers(2).build());

  public static final RemoteFunction<Long, Long> sleepMillis = app.function("sleepMillis", ms -> {
    Thread.sleep(ms);
    return ms;
  }, FunctionOptions.builder().maxContainers(2).build());

  public static final RemoteFunction2<Integer, Integer, Integer> add = app.function("add", (a, b) -> a + b);

  public static final RemoteFunction3<String, Integer, Boolean, String> describe =
      app.function("describe", (s, n, upper) -> (upper ? s.toUpperCase() : s).repeat(n));

  public static final RemoteFunction<Point, Point> mirror = app.function("mirror", p -> new Point(p.y(), p.x()));

  public static final RemoteFunction<Object, String> typeName =
      app.function("typeName", v -> v == null ? "null" : v.getClass().getName());

  public static final RemoteFunction<Map<String, List<Point>>, Integer> countPoints =
      app.function("countPoints", m -> m.values().stream().mapToInt(List::size).sum());

  public static final RemoteFunction<Integer, String> context = app.function("context", x -> {
    var c = Shoal.context();
    return c.functionCallId() + "|" + c.inputId() + "|" + c.attempt() + "|" + c.containerId();
  });

  /** Calls another function of the same app from inside a container. */
  public static final RemoteFunction<Integer, Integer> squarePlusOne =
      app.function("squarePlusOne", x -> square.remote(x) + 1);

  public static final RemoteFunction<Integer, Integer> slowFirst = app.function("slowFirst", x -> {
    if (x == 0) {
      Thread.sleep(Duration.ofSeconds(3));
    }
    return x;
  }, FunctionOptions.builder().concurrency(4).build());

  private TestApp() {}

  /** A user's own record type. */
  public record Point(int x, int y) {}
}
