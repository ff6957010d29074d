package dev.shoal.internal.cli;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles a single-file program ({@code shoal run Job.java}) into a directory, against the CLI's classpath.
 * Unlike {@code java Job.java}, which keeps the classes in memory, the classes land on disk: containers are other
 * JVMs and must load the app class from somewhere.
 */
final class SourceCompiler {
  private SourceCompiler() {}

  /** What a source file compiled to: the class to run (the file's first top-level class, as for java Job.java). */
  record Compiled(Path directory, String mainClass) {}

  static Compiled compile(Path source, Path outputDirectory) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw CliException.failed("this Java (" + System.getProperty("java.home") + ") has no compiler; run shoal"
          + " with a full JDK, or compile the job yourself and use `shoal run --class`");
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
        StandardCharsets.UTF_8)) {
      List<String> options = List.of(
          "-d", outputDirectory.toString(),
          "-classpath", System.getProperty("java.class.path"),
          "-proc:none", // a job's classpath may hold annotation processors; a script should not run them
          "-encoding", "UTF-8");
      JavacTask task = (JavacTask) compiler.getTask(null, files, diagnostics, options, null,
          files.getJavaFileObjects(source));
      List<String> topLevel = new ArrayList<>();
      for (CompilationUnitTree unit : task.parse()) {
        String pkg = unit.getPackageName() == null ? "" : unit.getPackageName() + ".";
        for (Tree type : unit.getTypeDecls()) {
          if (type instanceof ClassTree c && !c.getSimpleName().isEmpty()) {
            topLevel.add(pkg + c.getSimpleName());
          }
        }
      }
      task.generate();
      boolean errors = false;
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        // Only errors, as java Job.java shows: a script's unchecked-cast notes are noise here.
        if (d.getKind() == Diagnostic.Kind.ERROR) {
          errors = true;
          System.err.println(format(d));
        }
      }
      if (errors) {
        throw CliException.failed(source + " does not compile (errors above)");
      }
      if (topLevel.isEmpty()) {
        throw CliException.failed(source + " declares no class; the first top-level class is the one run");
      }
      return new Compiled(outputDirectory, topLevel.getFirst());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot compile " + source, e);
    }
  }

  private static String format(Diagnostic<? extends JavaFileObject> d) {
    String where = d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ";
    return where + "error: " + d.getMessage(Locale.getDefault());
  }
}
