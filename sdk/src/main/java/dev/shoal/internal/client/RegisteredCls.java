package dev.shoal.internal.client;

import java.util.Map;

/**
 * A class defined with {@code app.cls(...)} as the container runtime sees it; implemented in {@code dev.shoal}.
 * A container of the class's pool creates one instance with {@link #create} at start-up and runs every input of
 * the pool's methods on it.
 */
public interface RegisteredCls {
  /** The class's name within its app. */
  String name();

  /**
   * Runs the class's factory.
   *
   * @param params the pool's parameter set as the SDK encoded it ({@code FunctionDefinition.cls_params}); empty
   *     for none
   */
  Object create(byte[] params) throws Exception;

  /** The class's methods by name, as defined when the app class was loaded. */
  Map<String, RegisteredMethod> methods();
}
