package dev.shoal.testing.apps;

import dev.shoal.App;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.Retries;
import dev.shoal.Shoal;
import java.time.Duration;

/** The app the module's tests run: a plain function, one that prints, and one that fails its first attempts. */
public final class OrdersApp {
  public static final App app = App.named("orders");

  public static final RemoteFunction<Integer, Integer> total = app.function("total", cents -> cents * 2);

  public static final RemoteFunction<String, String> ship = app.function("ship", order -> {
    System.out.println("shipping " + order);
    return "shipped " + order;
  });

  public static final RemoteFunction<Integer, Long> pid = app.function("pid", x -> ProcessHandle.current().pid());

  /**
   * Succeeds on its third attempt. Its backoff is a minute, so that a test that waits less than that sees the
   * retries only because it moved the engine's clock.
   */
  public static final RemoteFunction<String, Integer> charge = app.function("charge", card -> {
    int attempt = Shoal.context().attempt();
    if (attempt < 3) {
      throw new IllegalStateException("card " + card + " declined on attempt " + attempt);
    }
    return attempt;
  }, FunctionOptions.builder()
      .retries(Retries.builder().maxRetries(2).initialDelay(Duration.ofSeconds(60)).backoffCoefficient(1.0).build())
      .build());

  private OrdersApp() {}
}
