package dev.shoal.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.codec.CodecFixtures.Point;
import dev.shoal.internal.codec.app.AppMain;
import dev.shoal.internal.codec.app.AppOrder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassPolicyTest {
  private static final String ALLOW = "shoal.codec.allow";

  @AfterEach
  void clearProperties() {
    System.clearProperty(ALLOW);
    System.clearProperty(PolicyGadget.INITIALISED_PROPERTY);
  }

  /** Bytes of an ordinary object of the named class with no fields, as an attacker could write. */
  private static byte[] objectNamed(String className) {
    ByteSink out = new ByteSink(32);
    out.writeByte(Tags.OBJECT);
    out.writeVarint(0);
    out.writeString(className);
    out.writeFixedInt(0);
    return out.toByteArray();
  }

  @Test
  void jdkValueTypesDecodeUnderEveryPolicy() {
    Object value = List.of("a", 1, LocalDate.of(2020, 1, 1), UUID.randomUUID(),
        Map.of("k", new String[] {"v"}));
    byte[] bytes = Codec.encode(value);
    for (ClassPolicy policy : List.of(ClassPolicy.jdkOnly(getClass().getClassLoader()),
        ClassPolicy.jdkOnly(null), ClassPolicy.forApp(AppMain.class))) {
      Object decoded = Codec.decode(bytes, policy);
      assertThat(((List<?>) decoded).get(0)).isEqualTo("a");
      assertThat(((List<?>) decoded).subList(1, 4)).isEqualTo(((List<?>) value).subList(1, 4));
    }
  }

  @Test
  void appClassesDecodeUnderTheAppPolicy() {
    AppOrder order = new AppOrder("o-1", List.of("apple"));
    assertThat(Codec.decode(Codec.encode(order), ClassPolicy.forApp(AppMain.class)))
        .isEqualTo(order);
    // A test class in another package shares the app's code source (the test-classes folder).
    Point point = new Point(1, 2);
    assertThat(Codec.decode(Codec.encode(point), ClassPolicy.forApp(AppMain.class)))
        .isEqualTo(point);
  }

  @Test
  void userClassIsRefusedByTheJdkOnlyPolicyNamingIt() {
    byte[] bytes = Codec.encode(new AppOrder("o", List.of()));
    assertThatThrownBy(() -> Codec.decode(bytes, ClassPolicy.jdkOnly(getClass().getClassLoader())))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("class " + AppOrder.class.getName() + " is not allowed by the codec")
        .hasMessageContaining("-Dshoal.codec.allow");
  }

  @Test
  void classOutsideTheAppIsRefusedAtDecodeNamingIt() {
    // Offset comes from the AssertJ jar: another package and another code source than the app.
    byte[] bytes = Codec.encode(List.of(Offset.offset(0.5)));
    assertThatThrownBy(() -> Codec.decode(bytes, ClassPolicy.forApp(AppMain.class)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("class org.assertj.core.data.Offset is not allowed by the codec")
        .hasMessageContaining("package " + AppMain.class.getPackageName())
        .hasMessageContaining("-Dshoal.codec.allow=org.assertj.core.data.");
  }

  @Test
  void packagesListedInTheAllowPropertyDecode() {
    byte[] bytes = Codec.encode(Offset.offset(0.5));
    System.setProperty(ALLOW, " com.example. , org.assertj.core.data ");
    assertThat(Codec.decode(bytes, ClassPolicy.forApp(AppMain.class))).isEqualTo(Offset.offset(0.5));
    assertThat(Codec.decode(bytes, ClassPolicy.jdkOnly(getClass().getClassLoader())))
        .isEqualTo(Offset.offset(0.5));
  }

  @Test
  void allowPrefixWithoutDotMatchesWholePackagesOnly() {
    System.setProperty(ALLOW, "org.assertj.core.dat");
    assertThatThrownBy(() -> Codec.decode(Codec.encode(Offset.offset(0.5)),
        ClassPolicy.jdkOnly(getClass().getClassLoader())))
        .hasMessageContaining("org.assertj.core.data.Offset is not allowed");
  }

  @Test
  void jdkClassNotOnTheValueListIsRefusedByNameWithoutLoadingAnything() {
    RecordingLoader loader = new RecordingLoader();
    for (String name : List.of("java.util.concurrent.atomic.AtomicInteger", "java.lang.Thread",
        "javax.management.BadStringOperationException", "jdk.internal.misc.Unsafe",
        "sun.misc.Unsafe", "com.sun.rowset.JdbcRowSetImpl")) {
      assertThatThrownBy(() -> Codec.decode(objectNamed(name), ClassPolicy.jdkOnly(loader)))
          .isInstanceOf(CodecException.class)
          .hasMessageContaining("class " + name + " is not allowed by the codec");
    }
    assertThatThrownBy(() -> Codec.decode(objectNamed("java.lang.Thread"),
        ClassPolicy.forApp(AppMain.class)))
        .hasMessageContaining("class java.lang.Thread is not allowed by the codec: it is a JDK"
            + " class that is not a value type");
    assertThat(loader.requested).isEmpty();
  }

  @Test
  void refusedNameIsNeverLoadedOrInitialised() {
    RecordingLoader loader = new RecordingLoader();
    String gadget = PolicyGadget.class.getName();
    assertThatThrownBy(() -> Codec.decode(objectNamed(gadget), ClassPolicy.jdkOnly(loader)))
        .hasMessageContaining("class " + gadget + " is not allowed by the codec");
    assertThat(loader.requested).isEmpty();
    assertThat(System.getProperty(PolicyGadget.INITIALISED_PROPERTY)).isNull();
  }

  @Test
  void arrayOfARefusedClassIsRefusedNamingTheElementClass() {
    byte[] bytes = Codec.encode(new Offset<?>[] {Offset.offset(1.0)});
    assertThatThrownBy(() -> Codec.decode(bytes, ClassPolicy.forApp(AppMain.class)))
        .hasMessageContaining("class org.assertj.core.data.Offset is not allowed");
    assertThatThrownBy(() -> Codec.decode(objectNamed("[[Ljava.lang.Thread;"),
        ClassPolicy.forApp(AppMain.class)))
        .hasMessageContaining("class java.lang.Thread is not allowed");
  }

  @Test
  void missingAppClassGivesACodecExceptionNamingIt() {
    String name = AppMain.class.getPackageName() + ".DoesNotExist";
    assertThatThrownBy(() -> Codec.decode(objectNamed(name), ClassPolicy.forApp(AppMain.class)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("class " + name + " in the payload cannot be loaded");
  }

  @Test
  void policiesAreCachedPerAppClass() {
    assertThat(ClassPolicy.forApp(AppMain.class)).isSameAs(ClassPolicy.forApp(AppMain.class));
  }

  /**
   * Loads the app class and three others from two folders, so that package and code source can be
   * told apart: the app's package from another code source is allowed, another package from the
   * app's code source is allowed, and another package from another code source is refused without
   * its static initialiser running.
   */
  @Test
  void appPackageAndAppCodeSourceAreAllowedAndEverythingElseIsRefused(@TempDir Path dir)
      throws Exception {
    Path appFolder = dir.resolve("app");
    Path otherFolder = dir.resolve("other");
    copyClass(AppMain.class, appFolder);
    copyClass(PolicyNeighbour.class, appFolder);
    copyClass(AppOrder.class, otherFolder);
    copyClass(PolicyGadget.class, otherFolder);
    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {appFolder.toUri().toURL(), otherFolder.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> app = loader.loadClass(AppMain.class.getName());
      assertThat(app).isNotSameAs(AppMain.class);
      ClassPolicy policy = ClassPolicy.forApp(app);

      Class<?> order = policy.resolve(AppOrder.class.getName());
      assertThat(order.getClassLoader()).isSameAs(loader);
      assertThat(order.getProtectionDomain().getCodeSource().getLocation())
          .isEqualTo(otherFolder.toUri().toURL());
      assertThat(policy.resolve(PolicyNeighbour.class.getName()).getClassLoader()).isSameAs(loader);

      assertThatThrownBy(() -> policy.resolve(PolicyGadget.class.getName()))
          .isInstanceOf(CodecException.class)
          .hasMessageContaining("class " + PolicyGadget.class.getName()
              + " is not allowed by the codec")
          .hasMessageContaining("its code source " + appFolder.toUri().toURL());
      assertThat(System.getProperty(PolicyGadget.INITIALISED_PROPERTY)).isNull();
      // Decoding resolves names through the app's loader, so the app gets its own classes.
      Object decoded = Codec.decode(Codec.encode(new PolicyNeighbour("n")), policy);
      assertThat(decoded.getClass().getClassLoader()).isSameAs(loader);
    }
  }

  private static void copyClass(Class<?> c, Path root) throws IOException {
    String resource = c.getName().replace('.', '/') + ".class";
    Path target = root.resolve(resource);
    Files.createDirectories(target.getParent());
    try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
      Files.copy(in, target);
    }
  }

  /** A class loader that records every class it is asked for and finds none itself. */
  private static final class RecordingLoader extends ClassLoader {
    final List<String> requested = Collections.synchronizedList(new ArrayList<>());

    RecordingLoader() {
      super(null);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      requested.add(name);
      return super.loadClass(name, resolve);
    }
  }
}
