package dev.shoal.testing;

import dev.shoal.Backend;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against an engine of its own, started before its tests and closed after them, with a check
 * that the engine left no thread or process behind. {@code app.run()}, {@code FunctionCall.fromId} and
 * {@code RemoteFunction.fromName} in the tests reach that engine; a test method may take the
 * {@link ShoalTestEngine} (what the engine saw) and its {@link TestClock} as parameters.
 *
 * <pre>
 * &#64;ShoalTest
 * class SquaresTest {
 *   &#64;Test
 *   void squares(ShoalTestEngine engine) {
 *     try (AppRun run = Squares.app.run()) {
 *       assertThat(Squares.square.remote(7)).isEqualTo(49);
 *     }
 *     assertThat(engine.calls()).singleElement().extracting(CallTrace::attempts).isEqualTo(1);
 *   }
 * }
 * </pre>
 *
 * <p>The engine is the JVM's for as long as it runs (it is named by the system properties {@code shoal.server}
 * and {@code shoal.token}), so test classes that use it must not run at the same time as each other.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ShoalExtension.class)
public @interface ShoalTest {
  /** What a container is: threads of the test's JVM (the default, instant) or a JVM process each. */
  Backend containers() default Backend.THREADS;

  /**
   * A Shoal server with an embedded PostgreSQL instead of the in-memory engine, for tests of what survives: its
   * containers are processes whatever {@link #containers} says, and it needs {@code dev.shoal:shoal-server} on the
   * test classpath.
   */
  boolean server() default false;

  /** Whether the engine lives for the whole class (the default) or for each test method. */
  Lifecycle lifecycle() default Lifecycle.PER_CLASS;

  /** How long an engine lives. */
  enum Lifecycle {
    /** One engine for all the tests of the class. */
    PER_CLASS,
    /** A new engine for each test method, closed after it. */
    PER_METHOD
  }
}
