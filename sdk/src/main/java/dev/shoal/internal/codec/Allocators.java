package dev.shoal.internal.codec;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The source of constructors that create an instance of a class without running any of its own
 * constructors, as Java serialization does, so that classes without a no-arg constructor decode.
 *
 * <p>This uses {@code sun.reflect.ReflectionFactory} from the {@code jdk.unsupported} module, which
 * is supported for exactly this purpose and prints no warning. It is reached by reflection because
 * javac reports any direct reference to it as internal proprietary API, a warning that cannot be
 * suppressed and that would fail the build under {@code -Werror}. If the module is missing (a
 * trimmed runtime image), classes fall back to their own no-arg constructor.
 */
final class Allocators {
  private static final Object FACTORY;
  private static final Method NEW_CONSTRUCTOR;

  static {
    Object factory = null;
    Method newConstructor = null;
    try {
      Class<?> type = Class.forName("sun.reflect.ReflectionFactory");
      factory = type.getMethod("getReflectionFactory").invoke(null);
      newConstructor = type.getMethod("newConstructorForSerialization", Class.class, Constructor.class);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      factory = null;
      newConstructor = null;
    }
    FACTORY = factory;
    NEW_CONSTRUCTOR = newConstructor;
  }

  private Allocators() {}

  /** Returns an accessible constructor that creates an instance of the class with its fields unset. */
  static Constructor<?> forClass(Class<?> type) {
    if (FACTORY != null) {
      try {
        Constructor<?> c = (Constructor<?>) NEW_CONSTRUCTOR.invoke(
            FACTORY, type, Object.class.getDeclaredConstructor());
        if (c != null) {
          c.setAccessible(true);
          return c;
        }
      } catch (IllegalAccessException | InvocationTargetException | NoSuchMethodException
          | RuntimeException e) {
        // Fall through to the class's own no-arg constructor.
      }
    }
    try {
      Constructor<?> c = type.getDeclaredConstructor();
      c.setAccessible(true);
      return c;
    } catch (NoSuchMethodException | RuntimeException e) {
      throw new CodecException("cannot create an instance of " + type.getName()
          + ": module jdk.unsupported is not available and the class has no usable no-arg"
          + " constructor", e);
    }
  }
}
