package dev.shoal.internal.client;

import java.util.Map;

/** An app as the container runtime sees it; implemented by {@code dev.shoal.App}. */
public interface RegisteredApp {
  String name();

  /** The class whose static initialiser defines the app. */
  Class<?> appClass();

  Map<String, RegisteredFunction> functions();

  /** The app's classes ({@code app.cls(...)}) by name. */
  default Map<String, RegisteredCls> classes() {
    return Map.of();
  }

  /** Deploys the app on the configured engine; returns the version made. */
  int deploy();
}
