package dev.shoal;

import dev.shoal.internal.client.FunctionSpec;
import dev.shoal.internal.client.RegisteredCls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The classes of one app and the pools their parameter sets need.
 *
 * <p>A pool is declared when the run must know it from the start: the default pool of a class whose factory takes
 * no parameters, and every parameter set made with {@link Cls#with} before {@code app.run()}. Those pools are
 * registered with the run when it starts, so that their {@code minContainers} are warm at once. A pool first
 * needed later (a parameter set made while the run is going, or the default pool of a parameterised class) is
 * registered with the running app the first time one of its methods is called; see {@link #poolOf}.
 */
final class AppClasses {
  private static final Pattern CLS_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

  // Guarded by this.
  private final Map<String, ClsDefinition<?>> classes = new LinkedHashMap<>();
  private final Map<String, Pool> pools = new LinkedHashMap<>();

  /** One parameter set of one class. */
  private record Pool(ClsDefinition<?> cls, ClsParams params) {
    String name() {
      return cls.poolName(params);
    }
  }

  /**
   * Adds a class.
   *
   * @param functions the names of the app's functions, which a class's name and methods must not clash with
   */
  synchronized void define(ClsDefinition<?> cls, Set<String> functions) {
    String name = cls.name();
    if (!CLS_NAME.matcher(name).matches()) {
      throw new InvalidOptionException(
          "class name must be 1..64 characters of [A-Za-z0-9_-] starting with a letter, was '" + name + "'");
    }
    if (classes.containsKey(name)) {
      throw new InvalidOptionException("app '" + cls.app.name() + "' already has a class named '" + name + "'");
    }
    for (String f : functions) {
      if (f.equals(name) || f.startsWith(name + ".")) {
        throw new InvalidOptionException("class name '" + name + "' clashes with function '" + f + "' of app '"
            + cls.app.name() + "'");
      }
    }
    classes.put(name, cls);
    if (!cls.parameterised()) {
      declare(cls, ClsParams.empty());
    }
  }

  /** Whether a function of this name would clash with a class: its name, or a method's name under it. */
  synchronized boolean clashesWith(String function) {
    int dot = function.indexOf('.');
    return classes.containsKey(dot < 0 ? function : function.substring(0, dot));
  }

  synchronized void declare(ClsDefinition<?> cls, ClsParams params) {
    Pool pool = new Pool(cls, params);
    pools.putIfAbsent(pool.name(), pool);
  }

  /** The definitions of the declared pools whose class has a method, for the start of a run. */
  synchronized List<FunctionSpec> declaredPools() {
    List<FunctionSpec> definitions = new ArrayList<>();
    for (Pool pool : pools.values()) {
      if (!pool.cls().methods().isEmpty()) {
        definitions.add(pool.cls().definition(pool.params()));
      }
    }
    return definitions;
  }

  /**
   * The pool that serves {@code function} when it is a method ({@code pool.method}) of one of these classes, for
   * a run that does not have that pool yet.
   */
  synchronized Optional<FunctionSpec> poolOf(String function) {
    int dot = function.lastIndexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    String poolName = function.substring(0, dot);
    String method = function.substring(dot + 1);
    Pool pool = pools.get(poolName);
    if (pool == null && classes.containsKey(poolName)) {
      pool = new Pool(classes.get(poolName), ClsParams.empty());
    }
    if (pool == null || !pool.cls().hasMethod(method)) {
      return Optional.empty();
    }
    return Optional.of(pool.cls().definition(pool.params()));
  }

  synchronized Map<String, RegisteredCls> registered() {
    return Map.copyOf(classes);
  }
}
