package dev.shoal.docs;

import dev.shoal.docs.BlockSources.Source;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles code blocks with javac against a fixed classpath, keeping no class files, and reports each error or
 * warning at the document's line. Warnings count: documentation should not teach code the build itself would
 * refuse (the build compiles with the same lint and {@code -Werror}).
 */
final class BlockCompiler implements AutoCloseable {
  private static final List<String> OPTIONS = List.of(
      "--release", "21", "-proc:none", "-Xlint:all,-processing,-serial,-options,-try");

  private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
  private final StandardJavaFileManager files;
  private final JavaFileManager discarding;

  BlockCompiler(List<Path> classpath) {
    files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
    try {
      files.setLocationFromPaths(StandardLocation.CLASS_PATH, classpath);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the classpath " + classpath, e);
    }
    // The blocks only need to compile: class files would go nowhere useful.
    discarding = new ForwardingJavaFileManager<>(files) {
      @Override
      public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
          FileObject sibling) {
        return new SimpleJavaFileObject(URI.create("discarded:///" + className.replace('.', '/') + kind.extension),
            kind) {
          @Override
          public OutputStream openOutputStream() {
            return OutputStream.nullOutputStream();
          }
        };
      }
    };
  }

  /** What javac says about the block's sources, one line each, at the document's lines; empty when it compiles. */
  List<String> problems(JavaBlock block, List<Source> sources) {
    List<InMemorySource> units = sources.stream().map(InMemorySource::new).toList();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    javac.getTask(null, discarding, diagnostics, OPTIONS, null, units).call();
    List<String> problems = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.NOTE || d.getKind() == Diagnostic.Kind.OTHER) {
        continue;
      }
      String kind = d.getKind() == Diagnostic.Kind.ERROR ? "error" : "warning";
      problems.add(where(block, d) + ": " + kind + ": " + d.getMessage(Locale.ROOT));
    }
    return problems;
  }

  private static String where(JavaBlock block, Diagnostic<? extends JavaFileObject> d) {
    if (!(d.getSource() instanceof InMemorySource unit) || d.getLineNumber() < 1) {
      return block.toString();
    }
    int generated = (int) d.getLineNumber();
    int[] lines = unit.source.markdownLines();
    if (generated <= lines.length && lines[generated - 1] > 0) {
      return block.document() + ":" + lines[generated - 1];
    }
    return block + " (line " + generated + " of the generated " + unit.source.fileName() + ")";
  }

  @Override
  public void close() throws IOException {
    files.close();
  }

  private static final class InMemorySource extends SimpleJavaFileObject {
    final Source source;

    InMemorySource(Source source) {
      super(URI.create("string:///" + source.fileName()), Kind.SOURCE);
      this.source = source;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return source.text();
    }
  }
}
