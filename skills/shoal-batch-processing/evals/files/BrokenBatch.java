import dev.shoal.App;
import dev.shoal.AppRun;
import dev.shoal.Batching;
import dev.shoal.RemoteFunction;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Stock levels for SKUs, looked up in batches. Callers sometimes get an error about the batch's results. */
public final class BrokenBatch {
  static final App app = App.named("stock");

  static final Map<String, Long> INVENTORY = Map.of("sku-1", 12L, "sku-2", 0L, "sku-3", 7L);

  static final RemoteFunction<String, Long> stock = app.batched("stock",
      (List<String> skus) -> skus.stream().filter(INVENTORY::containsKey).map(INVENTORY::get).toList(),
      Batching.of(50, Duration.ofMillis(20)));

  public static void main(String[] args) {
    try (AppRun run = app.run()) {
      System.out.println(stock.map(List.of("sku-1", "sku-2", "sku-9", "sku-3")).toList());
    }
  }
}
