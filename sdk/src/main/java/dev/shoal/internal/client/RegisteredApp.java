package dev.shoal.internal.client;

import java.util.Map;

/** An app as the container runtime sees it; implemented by {@code dev.shoal.App}. */
public interface RegisteredApp {
  String name();

  /** The class whose static initialiser defines the app. */
  Class<?> appClass();

  Map<String, RegisteredFunction> functions();

  /**
   * Makes the app's functions callable from inside a container, through the container's own connection to the
   * run it belongs to.
   */
  void joinRun(EngineConnection connection, String appId, Map<String, String> functionIds);
}
