package dev.shoal.docs;

import dev.shoal.docs.JavaChunks.Chunk;
import dev.shoal.docs.JavaChunks.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a code block into the Java source files that compile it. The convention, which the documentation follows:
 * <ul>
 *   <li>A block with {@code import} (or {@code package}) lines, or made only of type declarations, is a source file
 *       of its own. Without imports it gets {@link #USUAL_IMPORTS}.
 *   <li>Any other block is a snippet: its type declarations and members (pieces with a modifier such as
 *       {@code static}, and methods) become the body of a class, and its statements the body of a method of that
 *       class, which may throw anything. The class has the usual imports.
 *   <li>A snippet of a document that has a stage ({@code src/test/stages/<document>.java}, a class named
 *       {@code Stage}) extends it: the stage declares the names the document's prose introduces (the README's
 *       {@code app}, {@code square}, {@code inputs}, {@code model}). Skills have no stage: their blocks are complete.
 *   <li>A block fenced {@code java fragment} is not compiled; there should be very few.
 * </ul>
 */
final class BlockSources {
  /** What a reader may assume a short block imports. */
  static final List<String> USUAL_IMPORTS = List.of(
      "dev.shoal.*", "java.io.*", "java.nio.charset.StandardCharsets", "java.nio.file.*", "java.time.*",
      "java.util.*", "java.util.concurrent.*", "java.util.function.*", "java.util.stream.*");

  private static final Pattern TYPE_NAME = Pattern.compile(
      "(?:^|\\s)(public\\s+)?(?:[\\w-]+\\s+)*?(?:class|interface|enum|record|@interface)\\s+(\\w+)");

  /**
   * A source file to compile.
   *
   * @param markdownLines for each line of {@code text}, the document's line it came from, or 0 for a line the
   *     wrapper added
   */
  record Source(String fileName, String text, int[] markdownLines) {}

  private BlockSources() {}

  /** The sources that compile {@code block}; {@code stage} is the document's stage source, if it has one. */
  static List<Source> of(JavaBlock block, Optional<String> stage) {
    List<Chunk> chunks = JavaChunks.split(block.code());
    boolean hasImports = chunks.stream().anyMatch(c -> c.kind() == Kind.IMPORT);
    boolean onlyTypes = !chunks.isEmpty() && chunks.stream().allMatch(c -> c.kind() == Kind.TYPE);
    List<Source> sources = new ArrayList<>();
    Writer out = new Writer(block.line());
    if (hasImports || onlyTypes) {
      if (!hasImports) {
        out.imports();
      }
      out.block(block.code(), 0);
      sources.add(out.source(fileName(chunks)));
      return sources;
    }
    out.imports();
    out.synthetic("class Snippet" + (stage.isPresent() ? " extends Stage" : "") + " {");
    for (Chunk c : chunks) {
      if (c.kind() != Kind.STATEMENT) {
        out.block(c.text(), c.line());
      }
    }
    out.synthetic("void snippet() throws Exception {");
    for (Chunk c : chunks) {
      if (c.kind() == Kind.STATEMENT) {
        out.block(c.text(), c.line());
      }
    }
    out.synthetic("}");
    out.synthetic("}");
    sources.add(out.source("Snippet.java"));
    stage.ifPresent(text -> sources.add(new Source("Stage.java", text, new int[0])));
    return sources;
  }

  /** The file a source block must be in: its public type's name, else its first type's. */
  private static String fileName(List<Chunk> chunks) {
    String first = null;
    for (Chunk c : chunks) {
      if (c.kind() != Kind.TYPE) {
        continue;
      }
      Matcher m = TYPE_NAME.matcher(JavaChunks.significant(c.text()));
      if (m.find()) {
        if (m.group(1) != null) {
          return m.group(2) + ".java";
        }
        if (first == null) {
          first = m.group(2);
        }
      }
    }
    return (first == null ? "Block" : first) + ".java";
  }

  /** Builds a source and remembers where each of its lines came from. */
  private static final class Writer {
    private final int blockLine;
    private final StringBuilder text = new StringBuilder();
    private final List<Integer> lines = new ArrayList<>();

    Writer(int blockLine) {
      this.blockLine = blockLine;
    }

    void imports() {
      USUAL_IMPORTS.forEach(i -> synthetic("import " + i + ";"));
    }

    void synthetic(String line) {
      text.append(line).append('\n');
      lines.add(0);
    }

    /** Appends code that starts at the block's line {@code line} (0-based), ending it with a line break. */
    void block(String code, int line) {
      String[] split = code.split("\n", -1);
      int count = code.endsWith("\n") ? split.length - 1 : split.length;
      for (int k = 0; k < count; k++) {
        text.append(split[k]).append('\n');
        lines.add(blockLine + line + k);
      }
    }

    Source source(String fileName) {
      return new Source(fileName, text.toString(), lines.stream().mapToInt(Integer::intValue).toArray());
    }
  }
}
