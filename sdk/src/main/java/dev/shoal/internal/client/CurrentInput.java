package dev.shoal.internal.client;

import dev.shoal.InputContext;

/** The input a thread is running, behind {@code Shoal.context()}; set by the container runtime. */
public final class CurrentInput {
  private static final ThreadLocal<InputContext> CURRENT = new ThreadLocal<>();

  private CurrentInput() {}

  public static InputContext get() {
    return CURRENT.get();
  }

  public static void set(InputContext context) {
    CURRENT.set(context);
  }

  public static void clear() {
    CURRENT.remove();
  }
}
