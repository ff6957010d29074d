import dev.shoal.App;
import dev.shoal.Batching;
import dev.shoal.ClsParams;
import dev.shoal.RemoteFunction;
import java.time.Duration;
import java.util.List;

/**
 * The names the README's prose introduces and its snippets use without declaring them: the app, the Squares
 * example's function and inputs, and the user's own model with a batched function over it. Snippets of
 * README.md extend this class.
 */
class Stage {
  static final App app = App.named("readme");
  static final RemoteFunction<Integer, Integer> square = app.function("square", x -> x * x);
  static final List<Integer> inputs = List.of(1, 2, 3);
  static final Model model = Model.load(ClsParams.empty());
  static final RemoteFunction<String, float[]> embed = app.batched("embed", texts -> model.embedAll(texts),
      Batching.of(64, Duration.ofMillis(20)));

  /** The user's model: loaded once, embeds one text or many. */
  static final class Model {
    static Model load(ClsParams params) {
      return new Model();
    }

    float[] embed(String text) {
      return new float[] {text.length()};
    }

    List<float[]> embedAll(List<String> texts) {
      return texts.stream().map(this::embed).toList();
    }
  }
}
