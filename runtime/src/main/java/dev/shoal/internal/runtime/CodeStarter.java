package dev.shoal.internal.runtime;

import dev.shoal.internal.client.ContainerScope;
import dev.shoal.internal.client.RegisteredApp;
import dev.shoal.internal.client.RegisteredCls;
import dev.shoal.internal.client.RegisteredFunction;
import dev.shoal.protocol.v1.Welcome;

/**
 * Finds the code a container serves in its app: a function, or a class whose factory it runs once, inside the
 * container's scope so that the factory may call the app's other functions and read its volumes (Modal's
 * {@code @enter}).
 */
final class CodeStarter {
  private CodeStarter() {}

  /**
   * The function or class instance the welcome names.
   *
   * @throws StartupException if the app does not define it, or the class's factory throws
   */
  static ServedCode start(Welcome welcome, RegisteredApp app, ContainerScope scope) {
    String clsName = welcome.getFunction().getCls();
    if (!clsName.isEmpty()) {
      return startCls(welcome, app, clsName, scope);
    }
    // A variant has its own name and options, and the body of the function it varies.
    String variantOf = welcome.getFunction().getVariantOf();
    String name = variantOf.isEmpty() ? welcome.getFunction().getName() : variantOf;
    RegisteredFunction function = app.functions().get(name);
    if (function == null) {
      throw new StartupException("app '" + welcome.getAppName() + "' defines no function '" + name
          + "' when " + welcome.getAppClass() + " is loaded; define it in a static field of that class", null);
    }
    return ServedCode.function(function, welcome.getFunction());
  }

  private static ServedCode startCls(Welcome welcome, RegisteredApp app, String clsName, ContainerScope scope) {
    RegisteredCls cls = app.classes().get(clsName);
    if (cls == null) {
      throw new StartupException("app '" + welcome.getAppName() + "' defines no class '" + clsName + "' when "
          + welcome.getAppClass() + " is loaded; define it in a static field of that class", null);
    }
    try {
      return scope.call(() -> ServedCode.cls(cls, welcome.getFunction()));
    } catch (Exception | LinkageError e) {
      throw new StartupException("the factory of class '" + clsName + "' threw " + e, e);
    }
  }
}
