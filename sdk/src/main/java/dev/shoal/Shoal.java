package dev.shoal;

import dev.shoal.internal.client.CurrentInput;
import java.util.Optional;

/** Entry points that do not belong to one app. */
public final class Shoal {
  private Shoal() {}

  /**
   * The context of the input this thread is running.
   *
   * @throws IllegalStateException outside a Shoal container's input
   */
  public static InputContext context() {
    CurrentInput.stopIfCancelled();
    InputContext context = CurrentInput.get();
    if (context == null) {
      throw new IllegalStateException("Shoal.context() is only available while a container runs an input");
    }
    return context;
  }

  /** The context of the input this thread is running, if any. */
  public static Optional<InputContext> currentContext() {
    CurrentInput.stopIfCancelled();
    return Optional.ofNullable(CurrentInput.get());
  }
}
