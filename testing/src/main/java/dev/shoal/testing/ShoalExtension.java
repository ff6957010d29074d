package dev.shoal.testing;

import dev.shoal.Backend;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link ShoalTest}: starts an engine before a class's tests (or before each test)
 * as the annotation asks, closes it after them with its leak check, and hands tests the {@link ShoalTestEngine}
 * and its {@link TestClock}. On its own, {@code @ExtendWith(ShoalExtension.class)} gives an engine per class
 * with thread containers. A {@code @Nested} class uses the engine of the class around it.
 */
public final class ShoalExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ShoalExtension.class);
  private static final String ENGINE = "engine";

  @Override
  public void beforeAll(ExtensionContext context) {
    if (settings(context).lifecycle == ShoalTest.Lifecycle.PER_CLASS) {
      start(context);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (settings(context).lifecycle == ShoalTest.Lifecycle.PER_METHOD) {
      start(context);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (settings(context).lifecycle == ShoalTest.Lifecycle.PER_METHOD) {
      stop(context);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (settings(context).lifecycle == ShoalTest.Lifecycle.PER_CLASS) {
      stop(context);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == ShoalTestEngine.class || type == TestClock.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ShoalTestEngine engine = find(context).orElseThrow(() -> new ParameterResolutionException(
        "no Shoal engine runs here: with @ShoalTest(lifecycle = PER_METHOD) the engine exists only inside test"
            + " methods, not in @BeforeAll or a constructor"));
    return parameter.getParameter().getType() == TestClock.class ? engine.clock() : engine;
  }

  private static void start(ExtensionContext context) {
    if (find(context).isPresent()) {
      // A @Nested class runs on its enclosing class's engine, which its store sees.
      return;
    }
    Settings settings = settings(context);
    context.getStore(NAMESPACE).put(ENGINE, ShoalTestEngine.start(settings.containers, settings.server));
  }

  private static void stop(ExtensionContext context) {
    ShoalTestEngine engine = context.getStore(NAMESPACE).remove(ENGINE, ShoalTestEngine.class);
    if (engine != null) {
      engine.close();
    }
  }

  /** The engine of this test or of its class; the store of a method's context sees its class's too. */
  private static Optional<ShoalTestEngine> find(ExtensionContext context) {
    return Optional.ofNullable(context.getStore(NAMESPACE).get(ENGINE, ShoalTestEngine.class));
  }

  private static Settings settings(ExtensionContext context) {
    Optional<ShoalTest> annotation = context.getTestClass()
        .flatMap(c -> AnnotationSupport.findAnnotation(c, ShoalTest.class));
    return annotation
        .map(a -> new Settings(a.containers(), a.server(), a.lifecycle()))
        .orElse(new Settings(Backend.THREADS, false, ShoalTest.Lifecycle.PER_CLASS));
  }

  private record Settings(Backend containers, boolean server, ShoalTest.Lifecycle lifecycle) {}
}
