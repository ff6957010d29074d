package dev.shoal.internal.codec;

import java.util.List;

/** Decides which classes a decoder may instantiate, and tells an encoder which ones the decoder would refuse. */
public interface ClassPolicy {
  /**
   * Resolves a class by name for decoding, or throws CodecException naming the class if it is not
   * allowed or not found. Must check the NAME before loading/initialising anything it will refuse.
   */
  Class<?> resolve(String className);

  /**
   * Why a decoder under this policy would refuse values of {@code type} (or, for an array, of its element
   * class), or null if it would decode them: the encoder asks once per class and message, so that a value the
   * container would refuse fails at the caller before anything is sent. A policy that does not know the app's
   * class cannot tell what the container counts as the app's own, and refuses nothing here.
   */
  String refusal(Class<?> type);

  /**
   * The default policy for an app: JDK value types, plus the app's own classes, plus the packages
   * configured with {@code -Dshoal.codec.allow} or {@code SHOAL_CODEC_ALLOW} (comma-separated
   * prefixes such as {@code com.acme.,org.foo.}). See {@link AppClassPolicy} for what counts as the
   * app's own. Policies are cached per app class.
   */
  static ClassPolicy forApp(Class<?> appClass) {
    return AppClassPolicy.forApp(appClass);
  }

  /**
   * The policy of a container: as {@link #forApp(Class)}, and also the packages in {@code allowed}, which
   * the app's caller configured and sent with the function.
   */
  static ClassPolicy forApp(Class<?> appClass, List<String> allowed) {
    return AppClassPolicy.forApp(appClass, allowed);
  }

  /**
   * Accepts only JDK value types (used by tests and by clients that have no app class).
   *
   * <p>Packages configured with {@code shoal.codec.allow} are also accepted, loaded through the given
   * loader (or the system class loader when it is null), since listing them is an explicit choice.
   */
  static ClassPolicy jdkOnly(ClassLoader loader) {
    return AppClassPolicy.jdkOnly(loader);
  }

  /**
   * The package prefixes this process allows beyond the app's own, from {@code -Dshoal.codec.allow} or else
   * {@code SHOAL_CODEC_ALLOW}: what a caller sends with its functions, so that their containers allow them too.
   */
  static List<String> configuredAllowList() {
    return AppClassPolicy.configuredAllowList();
  }
}
