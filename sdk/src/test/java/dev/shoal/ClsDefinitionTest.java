package dev.shoal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.client.FunctionSpec;
import dev.shoal.protocol.v1.FunctionDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClsDefinitionTest {
  static final App app = App.named("cls-definition-test");

  /** Stands in for a model: what a factory makes. */
  record Model(String name) {}

  static final Cls<Model> model = app.cls("Model", () -> new Model("default"),
      FunctionOptions.builder().concurrency(4).build());
  static final RemoteFunction<String, String> describe = model.method("describe", (m, s) -> m.name() + ":" + s);
  static final RemoteFunction<String, Integer> length = model.method("length", (m, s) -> s.length());

  static final Cls<Model> named = app.cls("Named", p -> new Model(p.string("name")));
  static final RemoteFunction<String, String> greet = named.method("greet", (m, s) -> m.name() + " greets " + s);

  static final Cls<Model> batchedModel = app.cls("Batched", () -> new Model("b"));
  static final RemoteFunction<Integer, Integer> sum = batchedModel.batchedMethod("sum",
      (m, xs) -> xs, Batching.of(16, Duration.ofMillis(20)));

  @Test
  void oneDefinitionServesEveryMethodOfAClass() {
    FunctionDefinition d = definition("Model");
    assertThat(d.getCls()).isEqualTo("Model");
    assertThat(d.getMethodsList()).containsExactly("describe", "length");
    assertThat(d.getMaxConcurrentInputs()).isEqualTo(4);
    assertThat(d.getClsParams().isEmpty()).isTrue();
    assertThat(describe.name()).isEqualTo("Model.describe");
  }

  @Test
  void parameterSetsAreDeclaredAsPoolsOfTheirOwn() {
    Cls<Model> ada = named.with(Map.of("name", "ada"));
    assertThat(ada.method(greet).name()).isEqualTo("Named(name='ada').greet");
    FunctionDefinition d = definition("Named(name='ada')");
    assertThat(d.getCls()).isEqualTo("Named");
    assertThat(ClsParams.decode(d.getClsParams().toByteArray())).isEqualTo(ClsParams.of(Map.of("name", "ada")));
    // The default pool of a parameterised class is made only when a method of it is first called.
    assertThat(app.classes.declaredPools()).extracting(FunctionSpec::name).doesNotContain("Named");
    assertThat(app.classes.poolOf("Named.greet")).isPresent();
    assertThat(app.classes.poolOf("Named.missing")).isEmpty();
  }

  @Test
  void batchedMethodCarriesItsBatchingAndMustBeTheOnlyMethod() {
    FunctionDefinition d = definition("Batched");
    assertThat(d.getBatchMaxSize()).isEqualTo(16);
    assertThat(d.getBatchWaitMs()).isEqualTo(20);
    assertThatThrownBy(() -> batchedModel.method("other", (m, x) -> x))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("class 'Batched' has the batched method 'sum'; a class with a batched method can have no"
            + " other method");
    assertThatThrownBy(() -> model.batchedMethod("late", (Model m, List<Integer> xs) -> xs,
        Batching.of(2, Duration.ZERO)))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("a class with a batched method can have no other method");
  }

  @Test
  void namesOfClassesMethodsAndFunctionsMustNotClash() {
    assertThatThrownBy(() -> app.function("Model", x -> x))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("clashes with a class");
    assertThatThrownBy(() -> app.function("Model.describe", x -> x))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("clashes with a class");
    app.function("standalone", x -> x);
    assertThatThrownBy(() -> app.cls("standalone", () -> "x"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("class name 'standalone' clashes with function 'standalone' of app 'cls-definition-test'");
    assertThatThrownBy(() -> app.cls("Model", () -> "again"))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("already has a class named 'Model'");
    assertThatThrownBy(() -> model.method("describe", (m, x) -> x))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("already has a method named 'describe'");
    assertThatThrownBy(() -> model.method("has.dot", (m, x) -> x))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("method name must be");
  }

  @Test
  void localCallsRunOnOneInstancePerParameterSet() {
    assertThat(describe.local("x")).isEqualTo("default:x");
    assertThat(named.with(Map.of("name", "bo")).method(greet).local("al")).isEqualTo("bo greets al");
    assertThat(sum.local(5)).isEqualTo(5);
  }

  private static FunctionDefinition definition(String pool) {
    return app.classes.declaredPools().stream()
        .map(FunctionSpec::definition)
        .filter(d -> d.getName().equals(pool))
        .findFirst()
        .orElseThrow();
  }
}
