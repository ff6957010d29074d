import dev.shoal.App;
import dev.shoal.AppRun;
import dev.shoal.RemoteFunction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Greets people with a greeting given on the command line. In containers, the greeting is always missing. */
public final class StaticState {
  static final App app = App.named("greeter");

  static final Map<String, String> config = new HashMap<>();

  static final RemoteFunction<String, String> greet = app.function("greet",
      name -> config.getOrDefault("greeting", "") + ", " + name);

  public static void main(String[] args) {
    config.put("greeting", args.length > 0 ? args[0] : "Hello");
    try (AppRun run = app.run()) {
      greet.map(List.of("Ada", "Grace", "Barbara")).forEach(System.out::println);
    }
  }
}
