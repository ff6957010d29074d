import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Copies a jar, raising its class files older than Java 6 (major version 50) to Java 8's (52) with the stack maps
 * that version requires; every other entry, licence and notice files included, is copied as it is.
 *
 * <p>The {@code shoal} launcher runs it (JDK 24 or newer, as a source file) on picocli's jar once per picocli jar
 * and JDK: picocli 4.7 is compiled for Java 5, and the JVM's class-data archives leave out classes that old, so
 * every CLI start loaded and verified about 140 picocli classes from the jar, searching the whole classpath for
 * each. Raised to 52, they are archived with the rest of the command's classes: 65 ms less CPU of the 290 ms that
 * building picocli's model of {@code shoal app list} took (JDK 25, C1 only, serial collector).
 *
 * <p>Usage: {@code java ModernClassFiles.java IN.jar OUT.jar}; exits non-zero, writing nothing complete, on
 * anything it cannot copy, and the launcher then keeps the original jar.
 */
public final class ModernClassFiles {
  private static final int OLDEST_ARCHIVED = 50;
  private static final int RAISED_TO = 52;

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: ModernClassFiles IN.jar OUT.jar");
    }
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1]);
    try (URLClassLoader jar = new URLClassLoader(new URL[] {in.toUri().toURL()}, null);
        ZipInputStream entries = new ZipInputStream(Files.newInputStream(in));
        OutputStream file = Files.newOutputStream(out);
        ZipOutputStream copy = new ZipOutputStream(file)) {
      // The stack maps need each type's superclass: the JDK's own, then the jar's.
      ClassFile classFiles = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
          ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofResourceParsing(jar))));
      for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
        byte[] bytes = entries.readAllBytes();
        if (!entry.isDirectory() && entry.getName().endsWith(".class")) {
          bytes = raised(classFiles, bytes);
        }
        ZipEntry copied = new ZipEntry(entry.getName());
        copied.setTime(entry.getTime());
        copy.putNextEntry(copied);
        copy.write(bytes);
        copy.closeEntry();
      }
    }
  }

  private static byte[] raised(ClassFile classFiles, byte[] bytes) {
    ClassModel model = classFiles.parse(bytes);
    if (model.majorVersion() >= OLDEST_ARCHIVED) {
      return bytes;
    }
    // Rebuilding every method's code is what makes the library compute the stack maps.
    return classFiles.transformClass(model, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
        .andThen(ClassTransform.endHandler(builder -> builder.withVersion(RAISED_TO, 0))));
  }
}
