package dev.shoal.internal.codec;

import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ClassPolicy} behind {@link ClassPolicy#forApp} and {@link ClassPolicy#jdkOnly}.
 *
 * <p>A name is decided without loading anything whenever the name alone is enough: JDK names are
 * looked up in {@link JdkTypes}, and a name outside every allowed package is refused unless the
 * code-source rule could still accept it. Classes that do have to be loaded are loaded without
 * being initialised, so a refused class never runs its static initialiser. Accepted names are
 * cached, so the checks run once per class rather than once per message.
 */
final class AppClassPolicy implements ClassPolicy {
  static final String ALLOW_PROPERTY = "shoal.codec.allow";
  private static final int MAX_NAME_LENGTH = 1024;
  private static final int MAX_ARRAY_DIMENSIONS = 255;
  private static final int MAX_CACHED = 10_000;

  private static final ClassValue<AppClassPolicy> FOR_APP = new ClassValue<>() {
    @Override
    protected AppClassPolicy computeValue(Class<?> appClass) {
      return new AppClassPolicy(appClass, appClass.getClassLoader());
    }
  };

  /** The app class, or null for a policy that accepts only JDK value types. */
  private final Class<?> appClass;
  private final ClassLoader loader;
  private final String appPackage;
  private final String appCodeSource;
  /** Classes accepted whatever the system property says: JDK value types and the app's classes. */
  private final ConcurrentHashMap<String, Class<?>> accepted = new ConcurrentHashMap<>();
  private volatile AllowList allowList = new AllowList(null);

  private AppClassPolicy(Class<?> appClass, ClassLoader loader) {
    this.appClass = appClass;
    this.loader = loader != null ? loader : ClassLoader.getSystemClassLoader();
    this.appPackage = appClass == null ? null : appClass.getPackageName();
    this.appCodeSource = appClass == null ? null : codeSourceOf(appClass);
  }

  static ClassPolicy forApp(Class<?> appClass) {
    if (appClass == null) {
      throw new NullPointerException("appClass");
    }
    return FOR_APP.get(appClass);
  }

  static ClassPolicy jdkOnly(ClassLoader loader) {
    return new AppClassPolicy(null, loader);
  }

  /** Shoal's own value types that travel with user data: the argument tuples of multi-argument functions. */
  private static final java.util.Map<String, Class<?>> SHOAL_VALUE_TYPES = java.util.Map.of(
      dev.shoal.Args2.class.getName(), dev.shoal.Args2.class,
      dev.shoal.Args3.class.getName(), dev.shoal.Args3.class);

  @Override
  public Class<?> resolve(String className) {
    if (className == null) {
      throw new CodecException("corrupt payload: a class name is missing");
    }
    Class<?> c = accepted.get(className);
    if (c != null) {
      return c;
    }
    if (className.isEmpty() || className.length() > MAX_NAME_LENGTH) {
      throw new CodecException("corrupt payload: a class name is empty or too long");
    }
    if (className.charAt(0) == '[') {
      return resolveArray(className);
    }
    AllowList allow = currentAllowList();
    c = allow.accepted.get(className);
    if (c != null) {
      return c;
    }
    boolean byProperty = allow.matches(className);
    c = resolveElement(className, byProperty);
    // Only accepted classes are cached, so hostile input cannot grow the caches much; the bound
    // is a second line of defence against an app with a very large number of classes. Classes
    // accepted because of the property are cached apart, and forgotten when it changes.
    ConcurrentHashMap<String, Class<?>> cache = byProperty ? allow.accepted : accepted;
    if (cache.size() < MAX_CACHED) {
      cache.put(className, c);
    }
    return c;
  }

  /** Resolves an array class, which is allowed when its element class is: arrays run no code. */
  private Class<?> resolveArray(String name) {
    int dims = 0;
    while (dims < name.length() && name.charAt(dims) == '[') {
      dims++;
    }
    if (dims > MAX_ARRAY_DIMENSIONS || dims == name.length()) {
      throw new CodecException("corrupt payload: invalid array class name " + name);
    }
    String element = name.substring(dims);
    Class<?> c;
    if (element.length() == 1) {
      c = primitive(element.charAt(0), name);
    } else if (element.charAt(0) == 'L' && element.endsWith(";") && element.length() > 2) {
      c = resolve(element.substring(1, element.length() - 1));
    } else {
      throw new CodecException("corrupt payload: invalid array class name " + name);
    }
    for (int i = 0; i < dims; i++) {
      c = c.arrayType();
    }
    return c;
  }

  private AllowList currentAllowList() {
    String raw = System.getProperty(ALLOW_PROPERTY);
    AllowList allow = allowList;
    if (!Objects.equals(allow.raw, raw)) {
      allow = new AllowList(raw);
      allowList = allow;
    }
    return allow;
  }

  private static Class<?> primitive(char descriptor, String name) {
    return switch (descriptor) {
      case 'Z' -> boolean.class;
      case 'B' -> byte.class;
      case 'C' -> char.class;
      case 'S' -> short.class;
      case 'I' -> int.class;
      case 'J' -> long.class;
      case 'F' -> float.class;
      case 'D' -> double.class;
      default -> throw new CodecException("corrupt payload: invalid array class name " + name);
    };
  }

  private Class<?> resolveElement(String name, boolean allowedByProperty) {
    if (name.charAt(0) == '.' || name.endsWith(".")) {
      throw new CodecException("corrupt payload: invalid class name " + name);
    }
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch == '/' || ch == ';' || ch == '[' || ch <= ' ') {
        throw new CodecException("corrupt payload: invalid class name " + name);
      }
    }
    Class<?> jdk = JdkTypes.decodable(name);
    if (jdk != null) {
      return jdk;
    }
    Class<?> shoal = SHOAL_VALUE_TYPES.get(name);
    if (shoal != null) {
      return shoal;
    }
    if (name.startsWith("java.")) {
      throw refusedJdk(name);
    }
    boolean inAppPackage = appPackage != null && inPackage(name, appPackage);
    if (!allowedByProperty && !inAppPackage) {
      // Only the code-source rule could still accept the class, and it cannot accept JDK names.
      if (JdkTypes.isJdkName(name)) {
        throw refusedJdk(name);
      }
      if (appCodeSource == null) {
        throw refused(name);
      }
    }
    Class<?> c = load(name);
    if (JdkTypes.isJdk(c)) {
      throw refusedJdk(name);
    }
    if (allowedByProperty) {
      return c;
    }
    if (c.getClassLoader() == loader
        && (inAppPackage || appCodeSource != null && appCodeSource.equals(codeSourceOf(c)))) {
      return c;
    }
    throw refused(name);
  }

  private Class<?> load(String name) {
    try {
      // Loaded without initialisation: no static initialiser runs until the class is accepted
      // and an instance of it is actually created.
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new CodecException("class " + name + " in the payload cannot be loaded by " + loader
          + ": " + e, e);
    }
  }

  private static boolean inPackage(String className, String pkg) {
    if (pkg.isEmpty()) {
      return className.indexOf('.') < 0;
    }
    return className.length() > pkg.length() && className.startsWith(pkg)
        && className.charAt(pkg.length()) == '.';
  }

  /**
   * The package prefixes of -Dshoal.codec.allow, parsed once per value of the property, and the
   * classes accepted because of them.
   */
  private static final class AllowList {
    final String raw;
    final String[] prefixes;
    final ConcurrentHashMap<String, Class<?>> accepted = new ConcurrentHashMap<>();

    AllowList(String raw) {
      this.raw = raw;
      this.prefixes = raw == null ? new String[0]
          : Arrays.stream(raw.split(",")).map(String::trim).filter(p -> !p.isEmpty())
              .toArray(String[]::new);
    }

    /** A prefix ending in '.' matches any name it starts; one without matches a whole package. */
    boolean matches(String name) {
      for (String prefix : prefixes) {
        if (prefix.endsWith(".") ? name.startsWith(prefix)
            : name.equals(prefix) || inPackage(name, prefix) || name.startsWith(prefix + "$")) {
          return true;
        }
      }
      return false;
    }
  }

  private static String codeSourceOf(Class<?> c) {
    ProtectionDomain domain = c.getProtectionDomain();
    CodeSource source = domain == null ? null : domain.getCodeSource();
    URL location = source == null ? null : source.getLocation();
    // Compared as strings: URL.equals may resolve host names over the network.
    return location == null ? null : location.toExternalForm();
  }

  private static CodecException refusedJdk(String name) {
    return new CodecException("class " + name + " is not allowed by the codec: it is a JDK class"
        + " that is not a value type");
  }

  private CodecException refused(String name) {
    String allowed;
    if (appClass == null) {
      allowed = "only JDK value types may be decoded here";
    } else {
      String pkg = appPackage.isEmpty() ? "the unnamed package" : "package " + appPackage;
      allowed = "only JDK value types and the app's own classes (" + pkg
          + (appCodeSource == null ? "" : ", or its code source " + appCodeSource)
          + ") may be decoded";
    }
    int dot = name.lastIndexOf('.');
    String example = dot < 0 ? name : name.substring(0, dot + 1);
    return new CodecException("class " + name + " is not allowed by the codec: " + allowed
        + "; add its package to -D" + ALLOW_PROPERTY + " (for example -D" + ALLOW_PROPERTY + "="
        + example + ") to allow it");
  }
}
