package dev.shoal.internal.runtime;

import dev.shoal.internal.client.ContainerScope;
import dev.shoal.internal.client.FunctionBody;
import dev.shoal.internal.client.RegisteredCls;
import dev.shoal.internal.client.RegisteredFunction;
import dev.shoal.internal.client.RegisteredMethod;
import dev.shoal.protocol.v1.FunctionDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The code a container serves, resolved once at start-up: one function, or every method of one Cls instance,
 * bound to that instance. Inputs name the method they call; a plain function's inputs name none.
 */
final class ServedCode {
  /**
   * What runs the inputs of one function or method.
   *
   * @param description how messages name it, such as {@code "batched method Model.embed"}
   * @param batched whether the body takes a list of arguments and returns a list of results
   */
  record Entry(String description, FunctionBody body, boolean batched) {}

  private final String name;
  private final Map<String, Entry> entries;
  private final Object instance;
  private final int batchMaxSize;
  private final long batchWaitNanos;

  private ServedCode(String name, Map<String, Entry> entries, Object instance, FunctionDefinition definition) {
    this.name = name;
    this.entries = Map.copyOf(entries);
    this.instance = instance;
    this.batchMaxSize = definition.getBatchMaxSize();
    this.batchWaitNanos = TimeUnit.MILLISECONDS.toNanos(definition.getBatchWaitMs());
  }

  /** A plain or batched function. */
  static ServedCode function(RegisteredFunction function, FunctionDefinition definition) {
    boolean batched = definition.getBatchMaxSize() > 0;
    // A variant's own name (definition), which messages show, and the body of the function it varies.
    Entry entry = new Entry((batched ? "batched function " : "function ") + definition.getName(), function.body(),
        batched);
    return new ServedCode(definition.getName(), Map.of("", entry), null, definition);
  }

  /** A class: runs its factory, which may take long and may throw, and binds its methods to the instance. */
  static ServedCode cls(RegisteredCls cls, FunctionDefinition definition) throws Exception {
    Object instance = cls.create(definition.getClsParams().toByteArray());
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (RegisteredMethod m : cls.methods().values()) {
      String description = (m.batched() ? "batched method " : "method ") + cls.name() + "." + m.name();
      entries.put(m.name(), new Entry(description, argument -> m.body().invoke(instance, argument), m.batched()));
    }
    return new ServedCode(definition.getName(), entries, instance, definition);
  }

  /** The pool's name: the function's, or the class's with its parameter label. */
  String name() {
    return name;
  }

  /** What runs inputs that call {@code method} (empty for a plain function), or null if nothing here does. */
  Entry entry(String method) {
    return entries.get(method);
  }

  /** Whether inputs run in batches, and then at most how many at once. */
  boolean batched() {
    return batchMaxSize > 0;
  }

  int batchMaxSize() {
    return Math.max(1, batchMaxSize);
  }

  long batchWaitNanos() {
    return batchWaitNanos;
  }

  /**
   * Runs the instance's {@code close()}, if it has one, for at most {@code graceMillis}: Modal's {@code @exit}.
   * A close that throws or takes longer is reported on the container's stderr, and the container stops anyway.
   *
   * <p>It runs inside the container's {@code scope}, so that it may use the container's volumes and call the app's
   * functions, and what it prints goes to the app's log through {@code logs}, in a thread container too.
   */
  void close(long graceMillis, ContainerScope scope, LogShipper logs) {
    if (!(instance instanceof AutoCloseable closeable)) {
      return;
    }
    Runnable body = () -> {
      OutputRouting.Route route = OutputRouting.enterContainer(logs);
      try {
        closeable.close();
      } catch (Throwable e) {
        System.err.println("shoal container: close() of " + name + " threw " + e);
        e.printStackTrace();
      } finally {
        OutputRouting.exit(route);
      }
    };
    Thread closing = Thread.ofPlatform().daemon().name("shoal-cls-close")
        .start(scope == null ? body : () -> scope.run(body));
    try {
      if (!closing.join(java.time.Duration.ofMillis(graceMillis))) {
        System.err.println("shoal container: close() of " + name + " did not return within " + graceMillis
            + " ms; the container stops without waiting for it");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
