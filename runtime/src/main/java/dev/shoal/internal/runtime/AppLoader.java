package dev.shoal.internal.runtime;

import dev.shoal.internal.client.AppRegistry;
import dev.shoal.internal.client.RegisteredApp;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.PayloadLimits;
import dev.shoal.protocol.v1.PayloadSettings;
import dev.shoal.protocol.v1.Welcome;

/**
 * Loads the app a container is told to serve: its class, whose static initialiser defines the app, as a Modal
 * container imports the app's module, and the payload rules its caller set.
 */
final class AppLoader {
  /**
   * The app a container serves, with the classes its payloads may hold and their limits.
   *
   * @param appClass the class that defines the app
   */
  record LoadedApp(RegisteredApp app, Class<?> appClass, ClassPolicy policy, PayloadLimits limits) {}

  private AppLoader() {}

  /**
   * Loads the app the welcome names.
   *
   * @throws StartupException if the class cannot be loaded, does not define the app, or the payload settings are
   *     wrong
   */
  static LoadedApp load(Welcome welcome) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = AppLoader.class.getClassLoader();
    }
    Class<?> appClass;
    try {
      appClass = Class.forName(welcome.getAppClass(), true, loader);
    } catch (ExceptionInInitializerError e) {
      Throwable thrown = e.getCause() == null ? e : e.getCause();
      throw new StartupException("cannot load app class " + welcome.getAppClass()
          + ": its static initialiser threw " + thrown, thrown);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new StartupException("cannot load app class " + welcome.getAppClass() + ": " + e, e);
    }
    RegisteredApp app = AppRegistry.find(welcome.getAppName(), appClass).orElseThrow(() -> new StartupException(
        "class " + welcome.getAppClass() + " does not define app '" + welcome.getAppName()
            + "'; call App.named(\"" + welcome.getAppName() + "\") in a static field of that class", null));
    PayloadSettings payloads = welcome.getFunction().getPayloads();
    ClassPolicy policy = ClassPolicy.forApp(appClass, payloads.getCodecAllowList());
    PayloadLimits limits;
    try {
      limits = PayloadLimits.configured().with(payloads.getInlineBytes(), payloads.getMaxBytes());
    } catch (IllegalArgumentException e) {
      throw new StartupException("the container's payload settings are wrong: " + e.getMessage(), null);
    }
    return new LoadedApp(app, appClass, policy, limits);
  }
}
