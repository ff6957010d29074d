package dev.shoal.internal.cli;

import dev.shoal.App;
import dev.shoal.RemoteFunction;

/**
 * The app {@code shoal doctor} runs end to end. Containers load this class from the CLI's own classpath (uploaded
 * to a server), so it must stay in the CLI module and keep its static initialiser trivial.
 */
public final class DoctorApp {
  public static final App app = App.named("shoal-doctor");

  public static final RemoteFunction<Integer, Integer> increment = app.function("increment", x -> x + 1);

  private DoctorApp() {}
}
