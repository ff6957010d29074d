package dev.shoal.internal.client;

import dev.shoal.InputContext;
import dev.shoal.internal.client.PublicApi.Failure;
import java.util.function.BooleanSupplier;

/**
 * The input a thread is running, behind {@code Shoal.context()}; set by the container runtime, with whether the
 * input's call was cancelled meanwhile.
 *
 * <p>A cancelled input's thread is interrupted; code that ignores the interrupt is stopped where it next reaches
 * Shoal ({@code Shoal.context()}, or a call, spawn or map of its own): {@link #stopIfCancelled} throws there.
 */
public final class CurrentInput {
  private static final ThreadLocal<Running> CURRENT = new ThreadLocal<>();

  private CurrentInput() {}

  public static InputContext get() {
    Running r = CURRENT.get();
    return r == null ? null : r.context();
  }

  /**
   * Sets the calling thread's input.
   *
   * @param cancelled whether the input's call was cancelled since it started
   */
  public static void set(InputContext context, BooleanSupplier cancelled) {
    CURRENT.set(new Running(context, cancelled));
  }

  public static void clear() {
    CURRENT.remove();
  }

  /**
   * Throws {@code CancelledException} if the calling thread runs an input whose call was cancelled: the point
   * where Shoal stops code that did not stop when it was interrupted.
   */
  public static void stopIfCancelled() {
    Running r = CURRENT.get();
    if (r != null && r.cancelled().getAsBoolean()) {
      throw PublicApi.failure(Failure.CANCELLED, "input " + r.context().inputId() + " of call "
          + r.context().functionCallId() + " was cancelled");
    }
  }

  private record Running(InputContext context, BooleanSupplier cancelled) {}
}
