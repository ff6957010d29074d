package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.RemoteFunction;

/** An app whose function takes a library's value, which its containers decode only if the caller allowed it. */
public final class AllowListApp {
  public static final App app = App.named("allow-list-app");

  /** The class and text of what it was given. */
  public static final RemoteFunction<Object, String> describe =
      app.function("describe", value -> value.getClass().getName() + " " + value);

  private AllowListApp() {}
}
