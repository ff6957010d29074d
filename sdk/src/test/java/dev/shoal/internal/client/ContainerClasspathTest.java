package dev.shoal.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerClasspathTest {
  @TempDir
  Path temp;

  /** Where this test's own classes were loaded from: the class directory of the SDK's tests. */
  private static Path testClasses() throws Exception {
    return Path.of(ContainerClasspathTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void theJvmsClasspathIsKeptWhenItHoldsTheAppsClass() throws Exception {
    String classpath = "/some/lib.jar" + File.pathSeparator + testClasses();

    assertThat(ContainerClasspath.resolve(classpath, ContainerClasspathTest.class))
        .containsExactly("/some/lib.jar", testClasses().toString());
  }

  @Test
  void aPathingJarWhoseManifestNamesTheAppsClassesIsKept() throws Exception {
    Path jar = temp.resolve("classpath.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, testClasses().toUri().toString());
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
      // The manifest is the whole jar.
    }

    assertThat(ContainerClasspath.resolve(jar.toString(), ContainerClasspathTest.class))
        .containsExactly(jar.toString());
  }

  @Test
  void aLaunchersClasspathIsReplacedByTheUrlsOfTheLoaderThatDefinedTheApp() throws Exception {
    // As Maven's exec:java runs a program: java.class.path names only the launcher, and a URL class loader of the
    // launcher's holds the program's classpath.
    Path launcher = temp.resolve("plexus-classworlds-2.9.0.jar");
    Files.createFile(launcher);
    Path library = temp.resolve("library.jar");
    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {testClasses().toUri().toURL(), library.toUri().toURL()}, null)) {
      Class<?> appClass = loader.loadClass(ContainerClasspathTest.class.getName());

      assertThat(ContainerClasspath.resolve(launcher.toString(), appClass))
          .containsExactly(testClasses().toString(), library.toAbsolutePath().toString());
    }
  }

  @Test
  void anAppWhoseClassesNoLoaderCanNameIsRefusedWithTheCommandThatWorks() throws Exception {
    Path launcher = temp.resolve("launcher.jar");
    Files.createFile(launcher);
    // A loader that is not a URL class loader hides where its classes come from, though their code source says.
    String name = ContainerClasspathTest.class.getName();
    byte[] bytes = Files.readAllBytes(testClasses().resolve(name.replace('.', '/') + ".class"));
    ProtectionDomain domain = new ProtectionDomain(
        new CodeSource(testClasses().toUri().toURL(), (CodeSigner[]) null), null);
    ClassLoader opaque = new ClassLoader(ContainerClasspathTest.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
        return className.equals(name) ? defineClass(name, bytes, 0, bytes.length, domain)
            : super.loadClass(className, resolve);
      }
    };
    Class<?> appClass = opaque.loadClass(name);

    assertThatThrownBy(() -> ContainerClasspath.resolve(launcher.toString(), appClass))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot start containers for " + name)
        .hasMessageContaining(testClasses().toString())
        .hasMessageContaining("exec:exec");
  }

  @Test
  void aClassWithNoFileBehindItKeepsTheJvmsClasspath() throws IOException {
    assertThat(ContainerClasspath.resolve("/a.jar", String.class)).isEqualTo(List.of("/a.jar"));
  }
}
