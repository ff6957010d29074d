package dev.shoal.internal.codec;

import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ClassPolicy} behind {@link ClassPolicy#forApp} and {@link ClassPolicy#jdkOnly}.
 *
 * <p>What is the app's own: a class loaded by the app class's loader whose package is
 * <ul>
 *   <li>the app class's package or a sub-package of it, from any code source; or
 *   <li>the package one level above the app's, or a sub-package of that, when that parent has at least two
 *       segments and the class comes from the app class's own code source (its jar or class directory).
 * </ul>
 * The parent covers the usual layout of an application, an app class in {@code com.acme.jobs} beside records in
 * {@code com.acme.model}, without reaching further: a bundled library lives under its own root ({@code
 * org.apache.commons}, {@code org.springframework}), so a fat or shaded jar's libraries stay out even though they
 * share the app's code source. One level and not the first two segments, because an app of {@code
 * org.apache.beam.examples} shipped with commons-collections would otherwise decode {@code
 * org.apache.commons.collections.functors.InvokerTransformer}; at least two segments, so that an app in {@code
 * com.acme} does not open all of {@code com}; and only from the app's code source, so that another jar cannot
 * place classes in the parent package. Packages named like a relocated library ({@code shaded}, {@code
 * repackaged}, {@code relocated}, {@code thirdparty}) under the app's tree are not the app's own either, since
 * shading plugins move libraries there. Everything else, libraries included, is decodable only when its package is
 * listed in {@code -Dshoal.codec.allow} or {@code SHOAL_CODEC_ALLOW} (or, in a container, in the allow-list its
 * caller sent with the function).
 *
 * <p>A name is decided without loading anything whenever the name alone is enough: JDK names are looked up in
 * {@link JdkTypes}, and a name outside the app's packages and the allow-list is refused at once. Classes that do
 * have to be loaded (to compare their code source) are loaded without being initialised, so a refused class never
 * runs its static initialiser. Accepted names are cached, so the checks run once per class rather than once per
 * message.
 */
final class AppClassPolicy implements ClassPolicy {
  static final String ALLOW_PROPERTY = "shoal.codec.allow";
  static final String ALLOW_ENV = "SHOAL_CODEC_ALLOW";
  private static final int MAX_NAME_LENGTH = 1024;
  private static final int MAX_ARRAY_DIMENSIONS = 255;
  private static final int MAX_CACHED = 10_000;
  private static final Set<String> RELOCATION_SEGMENTS = Set.of("shaded", "repackaged", "relocated", "thirdparty");

  private static final ClassValue<AppClassPolicy> FOR_APP = new ClassValue<>() {
    @Override
    protected AppClassPolicy computeValue(Class<?> appClass) {
      return new AppClassPolicy(appClass, appClass.getClassLoader(), List.of());
    }
  };

  /** Shoal's own value types that travel with user data: the argument tuples of multi-argument functions. */
  private static final Map<String, Class<?>> SHOAL_VALUE_TYPES = Map.of(
      dev.shoal.Args2.class.getName(), dev.shoal.Args2.class,
      dev.shoal.Args3.class.getName(), dev.shoal.Args3.class);

  /** The app class, or null for a policy that accepts only JDK value types. */
  private final Class<?> appClass;
  private final ClassLoader loader;
  private final String appPackage;
  /** The package one level above the app's, when it has two segments or more; null otherwise. */
  private final String parentPackage;
  private final String appCodeSource;
  /** Prefixes the app's caller allowed, fixed for the policy's life: what a container got with its function. */
  private final AllowList given;
  /** Classes accepted whatever the system property says: JDK value types and the app's classes. */
  private final ConcurrentHashMap<String, Class<?>> accepted = new ConcurrentHashMap<>();
  /** Whether each class is the app's own, for the encoder's check; the allow-list is consulted apart. */
  private final ClassValue<Boolean> own = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      return isOwn(type);
    }
  };
  private volatile AllowList configured = configuredAllowList(System.getProperty(ALLOW_PROPERTY));

  private AppClassPolicy(Class<?> appClass, ClassLoader loader, List<String> allowed) {
    this.appClass = appClass;
    this.loader = loader != null ? loader : ClassLoader.getSystemClassLoader();
    this.appPackage = appClass == null ? null : appClass.getPackageName();
    this.parentPackage = appPackage == null ? null : parentOf(appPackage);
    this.appCodeSource = appClass == null ? null : codeSourceOf(appClass);
    this.given = new AllowList(null, String.join(",", allowed));
  }

  static ClassPolicy forApp(Class<?> appClass) {
    Objects.requireNonNull(appClass, "appClass");
    return FOR_APP.get(appClass);
  }

  static ClassPolicy forApp(Class<?> appClass, List<String> allowed) {
    Objects.requireNonNull(appClass, "appClass");
    return allowed.isEmpty() ? FOR_APP.get(appClass)
        : new AppClassPolicy(appClass, appClass.getClassLoader(), List.copyOf(allowed));
  }

  static ClassPolicy jdkOnly(ClassLoader loader) {
    return new AppClassPolicy(null, loader, List.of());
  }

  /** The prefixes of {@code -Dshoal.codec.allow}, or else of {@code SHOAL_CODEC_ALLOW}, as configured now. */
  static List<String> configuredAllowList() {
    return List.of(configuredAllowList(System.getProperty(ALLOW_PROPERTY)).prefixes);
  }

  private static AllowList configuredAllowList(String property) {
    return new AllowList(property, property != null ? property : System.getenv(ALLOW_ENV));
  }

  /** The package one level up, when it still has two segments: {@code com.acme} for {@code com.acme.jobs}. */
  private static String parentOf(String pkg) {
    int dot = pkg.lastIndexOf('.');
    if (dot < 0) {
      return null;
    }
    String parent = pkg.substring(0, dot);
    return parent.indexOf('.') < 0 ? null : parent;
  }

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
    boolean byList = allow.matches(className) || given.matches(className);
    c = resolveElement(className, byList);
    // Only accepted classes are cached, so hostile input cannot grow the caches much; the bound
    // is a second line of defence against an app with a very large number of classes. Classes
    // accepted because of the property are cached apart, and forgotten when it changes.
    ConcurrentHashMap<String, Class<?>> cache = byList ? allow.accepted : accepted;
    if (cache.size() < MAX_CACHED) {
      cache.put(className, c);
    }
    return c;
  }

  @Override
  public String refusal(Class<?> type) {
    if (appClass == null) {
      // Without the app class this side cannot tell what the container counts as the app's own.
      return null;
    }
    Class<?> element = type;
    while (element.isArray()) {
      element = element.getComponentType();
    }
    if (element.isPrimitive() || Boolean.TRUE.equals(own.get(element))) {
      return null;
    }
    String name = element.getName();
    if (currentAllowList().matches(name) || given.matches(name)) {
      return null;
    }
    return refusalReason(name);
  }

  /** Whether the class is the app's own by the rules above; JDK classes are decided by the encoder's own lists. */
  private boolean isOwn(Class<?> c) {
    if (JdkTypes.isJdk(c) || SHOAL_VALUE_TYPES.get(c.getName()) == c) {
      return true;
    }
    String name = c.getName();
    return inAppPackage(name) || inParentPackage(name) && appCodeSource.equals(codeSourceOf(c));
  }

  private boolean inAppPackage(String name) {
    return appPackage != null && inTree(name, appPackage);
  }

  private boolean inParentPackage(String name) {
    return parentPackage != null && appCodeSource != null && inTree(name, parentPackage);
  }

  /** Whether the class is in the package or below it, and not in a relocated library's package there. */
  private static boolean inTree(String className, String pkg) {
    if (!inPackage(className, pkg)) {
      return false;
    }
    int end = className.lastIndexOf('.');
    int from = pkg.isEmpty() ? 0 : pkg.length() + 1;
    while (from < end) {
      int dot = className.indexOf('.', from);
      if (RELOCATION_SEGMENTS.contains(className.substring(from, dot))) {
        return false;
      }
      from = dot + 1;
    }
    return true;
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

  /** The configured allow-list, parsed again only when the system property has changed since. */
  private AllowList currentAllowList() {
    String property = System.getProperty(ALLOW_PROPERTY);
    AllowList allow = configured;
    if (!Objects.equals(allow.property, property)) {
      allow = configuredAllowList(property);
      configured = allow;
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

  private Class<?> resolveElement(String name, boolean allowedByList) {
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
    boolean inApp = inAppPackage(name);
    boolean inParent = inParentPackage(name);
    if (!allowedByList && !inApp && !inParent) {
      // Refused by its name alone: nothing is loaded, so nothing of the class can run.
      throw JdkTypes.isJdkName(name) ? refusedJdk(name) : refused(name);
    }
    Class<?> c = load(name);
    if (JdkTypes.isJdk(c)) {
      throw refusedJdk(name);
    }
    if (allowedByList) {
      return c;
    }
    if (c.getClassLoader() == loader && (inApp || appCodeSource.equals(codeSourceOf(c)))) {
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
    return new CodecException("class " + name + " is not allowed by the codec: " + refusalReason(name));
  }

  /** What may be decoded and how to allow more, naming the class's package as the example to add. */
  private String refusalReason(String name) {
    String allowed;
    if (appClass == null) {
      allowed = "only JDK value types may be decoded here";
    } else {
      String pkg = appPackage.isEmpty() ? "the unnamed package" : "package " + appPackage;
      allowed = "only JDK value types and the app's own classes (" + pkg + " and below"
          + (parentPackage == null || appCodeSource == null ? ""
              : ", or " + parentPackage + " and below from its code source " + appCodeSource)
          + ") may be decoded, not a library's";
    }
    int dot = name.lastIndexOf('.');
    String example = dot < 0 ? name : name.substring(0, dot + 1);
    return allowed + "; add its package to -D" + ALLOW_PROPERTY + " or " + ALLOW_ENV + " (for example -D"
        + ALLOW_PROPERTY + "=" + example + ") to allow it";
  }

  /**
   * Package prefixes allowed by a setting, parsed once per value of the setting, and the classes accepted because
   * of them.
   */
  private static final class AllowList {
    /** The system property's value that this list was parsed for; the environment does not change. */
    final String property;
    final String[] prefixes;
    final ConcurrentHashMap<String, Class<?>> accepted = new ConcurrentHashMap<>();

    AllowList(String property, String raw) {
      this.property = property;
      this.prefixes = raw == null ? new String[0]
          : java.util.Arrays.stream(raw.split(",")).map(String::trim).filter(p -> !p.isEmpty())
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
}
