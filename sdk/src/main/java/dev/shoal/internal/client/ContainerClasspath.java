package dev.shoal.internal.client;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The classpath a process container starts with: the caller's own, so that the container loads the app's class
 * as the caller did.
 *
 * <p>Usually that is {@code java.class.path}. Some launchers load the program through a class loader of their own
 * and leave {@code java.class.path} naming only themselves: Maven's {@code exec:java} runs the program inside
 * Maven's JVM, whose classpath is the classworlds launcher, and a JVM started with it could not find the app. Then
 * the class loader that defined the app's class knows the real classpath when it is a {@link URLClassLoader}, as
 * the one {@code exec:java} builds is. When neither says where the app's class came from, starting containers is
 * refused at once, with the command that works, rather than after every container failed to load the class.
 */
final class ContainerClasspath {
  private ContainerClasspath() {}

  /** The classpath containers of the app defined by {@code appClass} start with. */
  public static List<String> of(Class<?> appClass) {
    return resolve(System.getProperty("java.class.path", ""), appClass);
  }

  static List<String> resolve(String javaClassPath, Class<?> appClass) {
    List<String> entries = javaClassPath.isEmpty() ? List.of()
        : Arrays.asList(javaClassPath.split(File.pathSeparator));
    Optional<Path> origin = origin(appClass);
    if (origin.isEmpty() || reachable(origin.get(), entries)) {
      // A class with no file behind it (generated, say) can only be judged by trying; the JVM's own classpath is
      // the best guess.
      return entries;
    }
    List<String> fromLoader = loaderClasspath(appClass.getClassLoader());
    if (reachable(origin.get(), fromLoader)) {
      return fromLoader;
    }
    throw new IllegalStateException("cannot start containers for " + appClass.getName() + ": it was loaded from "
        + origin.get() + ", which is not on this JVM's classpath (java.class.path is "
        + abbreviate(javaClassPath) + ") and its class loader (" + appClass.getClassLoader().getClass().getName()
        + ") does not say where its classes come from. Containers are JVMs started with the caller's classpath:"
        + " run the program in a JVM of its own, e.g. `java -cp <classpath> " + appClass.getName()
        + "`, or with Maven `mvn compile exec:exec -Dexec.executable=java -Dexec.args=\"-cp %classpath "
        + appClass.getName() + "\"`");
  }

  /** The file or directory the class was loaded from, when it was loaded from one. */
  private static Optional<Path> origin(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return Optional.empty();
    }
    return asPath(source.getLocation());
  }

  private static Optional<Path> asPath(URL url) {
    if (!"file".equals(url.getProtocol())) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(url.toURI()).toAbsolutePath().normalize());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether a JVM started with {@code classpath} finds {@code origin}: among its entries, or named by the
   * {@code Class-Path} of a jar's manifest (a "pathing jar", as IDEs and Gradle make for long classpaths).
   */
  private static boolean reachable(Path origin, List<String> classpath) {
    for (String entry : classpath) {
      if (entry.isBlank()) {
        continue;
      }
      Path path = Path.of(entry).toAbsolutePath().normalize();
      if (path.equals(origin) || manifestClasspath(path).contains(origin)) {
        return true;
      }
    }
    return false;
  }

  private static Set<Path> manifestClasspath(Path jar) {
    if (!jar.toString().endsWith(".jar") || !Files.isRegularFile(jar)) {
      return Set.of();
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      String value = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      if (value == null || value.isBlank()) {
        return Set.of();
      }
      Set<Path> paths = new LinkedHashSet<>();
      for (String part : value.trim().split("\\s+")) {
        try {
          URL url = jar.getParent().toUri().resolve(part).toURL();
          asPath(url).ifPresent(paths::add);
        } catch (IOException | IllegalArgumentException e) {
          // An entry that is not a URL cannot be on the classpath either.
        }
      }
      return paths;
    } catch (IOException e) {
      return Set.of();
    }
  }

  /**
   * The files of the class loader that defined the app's class, when it is a URL class loader. Only that loader's:
   * its parents may be the launcher's own (Maven's core, for {@code exec:java}), which a container must not get.
   */
  private static List<String> loaderClasspath(ClassLoader loader) {
    if (!(loader instanceof URLClassLoader urls)) {
      return List.of();
    }
    Set<String> entries = new LinkedHashSet<>();
    for (URL url : urls.getURLs()) {
      asPath(url).ifPresent(p -> entries.add(p.toString()));
    }
    return List.copyOf(entries);
  }

  private static String abbreviate(String classpath) {
    return classpath.length() <= 200 ? "'" + classpath + "'" : "'" + classpath.substring(0, 200) + "…'";
  }
}
