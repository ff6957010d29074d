package dev.shoal.internal.client;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every app defined in this JVM. A container loads the app class, whose static initialiser defines the app and
 * registers it here, then finds it by name and class.
 */
public final class AppRegistry {
  private static final List<RegisteredApp> APPS = new CopyOnWriteArrayList<>();

  private AppRegistry() {}

  public static void register(RegisteredApp app) {
    APPS.add(app);
  }

  /** The apps that a class defined, in the order it defined them. */
  public static List<RegisteredApp> definedBy(Class<?> appClass) {
    return APPS.stream().filter(a -> a.appClass() == appClass).toList();
  }

  public static Optional<RegisteredApp> find(String name, Class<?> appClass) {
    return APPS.stream().filter(a -> a.name().equals(name) && a.appClass() == appClass).findFirst();
  }
}
