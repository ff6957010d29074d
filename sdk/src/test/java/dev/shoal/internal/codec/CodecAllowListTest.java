package dev.shoal.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.codeclib.LibraryGadget;
import dev.shoal.codectest.jobs.FatJarApp;
import dev.shoal.codectest.model.Shipment;
import dev.shoal.codectest.shaded.commons.RelocatedGadget;
import dev.shoal.internal.codec.CodecFixtures.Point;
import dev.shoal.internal.codec.app.AppMain;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The allow-list's default: the app's own packages and the JDK's value types, not every class of a fat or shaded
 * jar. Each fat-jar test packs the app, its records and its "libraries" into one jar, as a shading plugin would,
 * and loads it in a class loader that records every class it is asked for.
 */
class CodecAllowListTest {
  private static final String ALLOW = "shoal.codec.allow";

  /** Classes that deserialisation attacks on Java use, from common libraries: refused by name, loaded or not. */
  private static final List<String> KNOWN_GADGETS = List.of(
      "org.apache.commons.collections.functors.InvokerTransformer",
      "org.apache.commons.collections.functors.ChainedTransformer",
      "org.apache.commons.collections.keyvalue.TiedMapEntry",
      "org.apache.commons.collections4.functors.InvokerTransformer",
      "org.apache.commons.collections4.comparators.TransformingComparator",
      "org.apache.commons.beanutils.BeanComparator",
      "org.springframework.beans.factory.ObjectFactory",
      "org.springframework.core.SerializableTypeWrapper$MethodInvokeTypeProvider",
      "org.springframework.aop.framework.JdkDynamicAopProxy",
      "org.codehaus.groovy.runtime.MethodClosure",
      "org.codehaus.groovy.runtime.ConvertedClosure",
      "com.mchange.v2.c3p0.WrapperConnectionPoolDataSource",
      "com.mchange.v2.c3p0.impl.PoolBackedDataSourceBase",
      "org.hibernate.engine.spi.TypedValue",
      "org.hibernate.tuple.component.AbstractComponentTuplizer",
      "com.rometools.rome.feed.impl.ObjectBean",
      "com.sun.syndication.feed.impl.ObjectBean",
      "bsh.XThis",
      "clojure.core$comp$fn__4727",
      "org.python.core.PyFunction",
      "org.mozilla.javascript.NativeJavaObject",
      "net.sf.json.JSONObject",
      "com.fasterxml.jackson.databind.node.POJONode",
      "com.alibaba.fastjson.JSONObject",
      "org.apache.myfaces.view.facelets.el.ValueExpressionMethodExpression",
      "org.apache.wicket.util.upload.DiskFileItem",
      "org.apache.commons.fileupload.disk.DiskFileItem",
      "com.vaadin.data.util.PropertysetItem",
      "org.jboss.interceptor.proxy.InterceptorMethodHandler",
      "org.apache.click.control.Column$ColumnComparator",
      "javax.management.BadAttributeValueExpException",
      "com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl",
      "org.apache.xalan.xsltc.trax.TemplatesImpl",
      "sun.rmi.server.UnicastRef",
      "java.rmi.server.RemoteObjectInvocationHandler");

  @AfterEach
  void clearProperties() {
    System.clearProperty(ALLOW);
    System.clearProperty(LibraryGadget.INITIALISED_PROPERTY);
    System.clearProperty(LibraryGadget.HASHED_PROPERTY);
    System.clearProperty(RelocatedGadget.INITIALISED_PROPERTY);
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

  /** The same object as the only element of a set, whose decoding would call the element's hashCode. */
  private static byte[] setOfObjectNamed(String className) {
    byte[] object = objectNamed(className);
    byte[] bytes = new byte[object.length + 2];
    bytes[0] = Tags.SET;
    bytes[1] = 1;
    System.arraycopy(object, 0, bytes, 2, object.length);
    return bytes;
  }

  @Test
  void libraryClassInTheAppsFatJarIsRefusedWithoutBeingLoadedInitialisedOrHashed(@TempDir Path dir)
      throws Exception {
    try (RecordingLoader loader = fatJar(dir)) {
      ClassPolicy policy = ClassPolicy.forApp(loader.loadClass(FatJarApp.class.getName()));
      for (String name : List.of(LibraryGadget.class.getName(), Offset.class.getName())) {
        assertThatThrownBy(() -> Codec.decode(setOfObjectNamed(name), policy))
            .isInstanceOf(CodecException.class)
            .hasMessageContaining("class " + name + " is not allowed by the codec")
            .hasMessageContaining("-Dshoal.codec.allow=" + name.substring(0, name.lastIndexOf('.') + 1));
      }
      assertThat(loader.requested).doesNotContain(LibraryGadget.class.getName(), Offset.class.getName());
    }
    assertThat(System.getProperty(LibraryGadget.INITIALISED_PROPERTY)).isNull();
    assertThat(System.getProperty(LibraryGadget.HASHED_PROPERTY)).isNull();
  }

  @Test
  void knownGadgetClassesAreRefusedByNameWhetherOrNotOnTheClasspath(@TempDir Path dir) throws Exception {
    try (RecordingLoader loader = fatJar(dir)) {
      List<ClassPolicy> policies = List.of(ClassPolicy.forApp(loader.loadClass(FatJarApp.class.getName())),
          ClassPolicy.forApp(AppMain.class), ClassPolicy.jdkOnly(loader));
      loader.requested.clear();
      for (ClassPolicy policy : policies) {
        for (String gadget : KNOWN_GADGETS) {
          assertThatThrownBy(() -> Codec.decode(setOfObjectNamed(gadget), policy))
              .as(gadget)
              .isInstanceOf(CodecException.class)
              .hasMessageContaining("class " + gadget + " is not allowed by the codec");
        }
      }
      assertThat(loader.requested).isEmpty();
    }
  }

  @Test
  void appsRecordsInTheSiblingPackageOfItsJarDecode(@TempDir Path dir) throws Exception {
    try (RecordingLoader loader = fatJar(dir)) {
      ClassPolicy policy = ClassPolicy.forApp(loader.loadClass(FatJarApp.class.getName()));
      Object decoded = Codec.decode(Codec.encode(new Shipment("s-1", 3)), policy);
      assertThat(decoded.getClass().getName()).isEqualTo(Shipment.class.getName());
      assertThat(decoded.getClass().getClassLoader()).isSameAs(loader);
      assertThat(decoded).hasToString("Shipment[id=s-1, parcels=3]");
    }
  }

  @Test
  void siblingPackageFromAnotherJarIsNotTheAppsOwn(@TempDir Path dir) throws Exception {
    Path appJar = jar(dir.resolve("app.jar"), FatJarApp.class);
    Path modelJar = jar(dir.resolve("model.jar"), Shipment.class);
    try (RecordingLoader loader = new RecordingLoader(appJar, modelJar)) {
      ClassPolicy policy = ClassPolicy.forApp(loader.loadClass(FatJarApp.class.getName()));
      assertThatThrownBy(() -> Codec.decode(Codec.encode(new Shipment("s-1", 3)), policy))
          .isInstanceOf(CodecException.class)
          .hasMessageContaining("class " + Shipment.class.getName() + " is not allowed by the codec")
          .hasMessageContaining("dev.shoal.codectest and below from its code source " + appJar.toUri().toURL());
    }
  }

  @Test
  void libraryRelocatedUnderTheAppsPackagesIsNotTheAppsOwn(@TempDir Path dir) throws Exception {
    try (RecordingLoader loader = fatJar(dir)) {
      ClassPolicy policy = ClassPolicy.forApp(loader.loadClass(FatJarApp.class.getName()));
      assertThatThrownBy(() -> Codec.decode(setOfObjectNamed(RelocatedGadget.class.getName()), policy))
          .isInstanceOf(CodecException.class)
          .hasMessageContaining("class " + RelocatedGadget.class.getName() + " is not allowed by the codec");
      assertThat(loader.requested).doesNotContain(RelocatedGadget.class.getName());
    }
    assertThat(System.getProperty(RelocatedGadget.INITIALISED_PROPERTY)).isNull();
  }

  @Test
  void libraryNamedInTheAllowListDecodes(@TempDir Path dir) throws Exception {
    byte[] offset = Codec.encode(Offset.offset(0.5));
    try (RecordingLoader loader = fatJar(dir)) {
      Class<?> app = loader.loadClass(FatJarApp.class.getName());
      // As a container gets it: the caller's setting, sent with the function.
      Object decoded = Codec.decode(offset, ClassPolicy.forApp(app, List.of("org.assertj.core.data.")));
      assertThat(decoded.getClass().getName()).isEqualTo(Offset.class.getName());
      // As a caller has it: its own system property.
      System.setProperty(ALLOW, "org.assertj.core.data");
      assertThat(Codec.decode(offset, ClassPolicy.forApp(AppMain.class))).isEqualTo(Offset.offset(0.5));
      assertThat(ClassPolicy.configuredAllowList()).containsExactly("org.assertj.core.data");
    }
  }

  @Test
  void encoderRefusesWhatTheContainerWouldRefuseNamingTheClassAndTheSetting() {
    ClassPolicy policy = ClassPolicy.forApp(AppMain.class);
    assertThatThrownBy(() -> Codec.encode(List.of(new Point(1, 2), Offset.offset(0.5)), policy))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("cannot serialise org.assertj.core.data.Offset (at list[1])")
        .hasMessageContaining("the receiving side would refuse it")
        .hasMessageContaining("-Dshoal.codec.allow or SHOAL_CODEC_ALLOW")
        .hasMessageContaining("-Dshoal.codec.allow=org.assertj.core.data.");
    assertThatThrownBy(() -> Codec.encode(new Offset<?>[] {Offset.offset(0.5)}, policy))
        .hasMessageContaining("cannot serialise org.assertj.core.data.Offset");
    // The app's own classes, JDK values and what the allow-list names pass.
    assertThat(Codec.encode(List.of(new Point(1, 2), new Point[] {new Point(3, 4)}, "x"), policy)).isNotEmpty();
    System.setProperty(ALLOW, "org.assertj.core.data.");
    assertThat(Codec.decode(Codec.encode(Offset.offset(0.5), policy), policy)).isEqualTo(Offset.offset(0.5));
  }

  @Test
  void policyWithoutTheAppClassRefusesNothingAtEncode() {
    assertThat(Codec.encode(Offset.offset(0.5), ClassPolicy.jdkOnly(null))).isNotEmpty();
  }

  /** A jar as a shading plugin makes it: the app, its records, a relocated library and two libraries. */
  private static RecordingLoader fatJar(Path dir) throws IOException {
    return new RecordingLoader(jar(dir.resolve("app-all.jar"), FatJarApp.class, Shipment.class,
        RelocatedGadget.class, LibraryGadget.class, Offset.class));
  }

  private static Path jar(Path file, Class<?>... classes) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out)) {
      for (Class<?> c : classes) {
        String resource = c.getName().replace('.', '/') + ".class";
        jar.putNextEntry(new JarEntry(resource));
        try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
          in.transferTo(jar);
        }
        jar.closeEntry();
      }
    }
    return file;
  }

  /** A class loader over jars, below the platform loader, that records every class it is asked for. */
  private static final class RecordingLoader extends URLClassLoader {
    final List<String> requested = Collections.synchronizedList(new ArrayList<>());

    RecordingLoader(Path... jars) throws IOException {
      super(urls(jars), ClassLoader.getPlatformClassLoader());
    }

    private static URL[] urls(Path... jars) throws IOException {
      URL[] urls = new URL[jars.length];
      for (int i = 0; i < jars.length; i++) {
        urls[i] = jars[i].toUri().toURL();
      }
      return urls;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      requested.add(name);
      return super.loadClass(name, resolve);
    }
  }
}
