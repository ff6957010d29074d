package dev.shoal.internal.codec;

/** Decides which classes a decoder may instantiate. */
public interface ClassPolicy {
  /**
   * Resolves a class by name for decoding, or throws CodecException naming the class if it is not
   * allowed or not found. Must check the NAME before loading/initialising anything it will refuse.
   */
  Class<?> resolve(String className);

  /**
   * The default policy for an app: JDK value types, plus the app's own classes.
   *
   * <p>The app's own classes are those loaded by the app class's loader whose package is the app
   * class's package or a sub-package of it, or whose code source is the app class's code source;
   * packages listed in the system property {@code shoal.codec.allow} (comma-separated prefixes
   * such as {@code com.acme.,org.foo.}) are allowed as well. Policies are cached per app class.
   */
  static ClassPolicy forApp(Class<?> appClass) {
    return AppClassPolicy.forApp(appClass);
  }

  /**
   * Accepts only JDK value types (used by tests and by clients that have no app class).
   *
   * <p>Packages listed in {@code shoal.codec.allow} are also accepted, loaded through the given
   * loader (or the system class loader when it is null), since listing them is an explicit choice.
   */
  static ClassPolicy jdkOnly(ClassLoader loader) {
    return AppClassPolicy.jdkOnly(loader);
  }
}
