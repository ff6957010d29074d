package dev.shoal.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.docs.BlockSources.Source;
import dev.shoal.docs.JavaChunks.Chunk;
import dev.shoal.docs.JavaChunks.Kind;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How a Markdown code block becomes Java that compiles, and how a block that does not compile is reported. */
class BlockConventionTest {
  private static BlockCompiler compiler;

  @BeforeAll
  static void startCompiler() {
    compiler = new BlockCompiler(Documentation.applicationClasspath());
  }

  @AfterAll
  static void closeCompiler() throws IOException {
    compiler.close();
  }

  @Test
  void javaFencesAreFoundWithTheirLinesIncludingIndentedOnesAndFragmentsAreMarked() {
    String markdown = """
        # Title

        ```java
        int x = 1;
        ```

        1. A step:

           ```java
           int y = 2;
           ```

        ```java fragment
        x -> …
        ```

        ```bash
        shoal run Job.java
        ```
        """;
    List<JavaBlock> blocks = MarkdownJavaBlocks.in("doc.md", markdown);
    assertThat(blocks).extracting(JavaBlock::line, JavaBlock::code, JavaBlock::fragment).containsExactly(
        org.assertj.core.groups.Tuple.tuple(4, "int x = 1;\n", false),
        org.assertj.core.groups.Tuple.tuple(10, "int y = 2;\n", false),
        org.assertj.core.groups.Tuple.tuple(14, "x -> …\n", true));
  }

  @Test
  void piecesEndAtTopLevelSemicolonsAndBracesButNotInsideStringsCommentsOrElseAndCatch() {
    String code = """
        static final String brace = "}"; // not the end: ; }
        try { run(); } catch (RuntimeException e) { log(e); } finally { close(); }
        if (a) { b(); } else { c(); }
        Runnable r = () -> { go(); };
        int f(int x) { return x; }
        <T> T id(T t) { return t; }
        record Point(int x, int y) {}
        """;
    List<Chunk> chunks = JavaChunks.split(code);
    assertThat(chunks).extracting(Chunk::kind).containsExactly(
        Kind.MEMBER, Kind.STATEMENT, Kind.STATEMENT, Kind.STATEMENT, Kind.MEMBER, Kind.MEMBER, Kind.TYPE);
    assertThat(chunks).extracting(Chunk::line).containsExactly(0, 0, 1, 2, 3, 4, 5);
    assertThat(chunks.get(1).text()).contains("finally { close(); }");
  }

  @Test
  void aBlockWithImportsOrOnlyTypesIsItsOwnFileNamedAfterItsPublicType() {
    JavaBlock withImports = new JavaBlock("doc.md", 5, "import java.util.List;\n\npublic final class Job {}\n", false);
    assertThat(BlockSources.of(withImports, Optional.empty())).singleElement()
        .satisfies(s -> assertThat(s.fileName()).isEqualTo("Job.java"))
        .satisfies(s -> assertThat(s.text()).doesNotContain("import dev.shoal.*;"));

    JavaBlock typeOnly = new JavaBlock("doc.md", 5, "record Point(int x) {}\npublic class Plot {}\n", false);
    assertThat(BlockSources.of(typeOnly, Optional.empty())).singleElement()
        .satisfies(s -> assertThat(s.fileName()).isEqualTo("Plot.java"))
        .satisfies(s -> assertThat(s.text()).startsWith("import dev.shoal.*;"));
  }

  @Test
  void aSnippetsFieldsGoInAClassAndItsStatementsInAMethodSoBothCompile() {
    JavaBlock snippet = new JavaBlock("doc.md", 3, """
        static final App app = App.named("snippet");
        static final RemoteFunction<Integer, Integer> twice = app.function("twice", x -> 2 * x);

        try (AppRun run = app.run()) {
          List<Integer> all = twice.map(List.of(1, 2)).toList();
        }
        """, false);
    List<Source> sources = BlockSources.of(snippet, Optional.empty());
    assertThat(compiler.problems(snippet, sources)).isEmpty();
    assertThat(sources.getFirst().text()).containsSubsequence("static final RemoteFunction", "void snippet()", "try (");
  }

  @Test
  void aSnippetSeesItsDocumentsStage() {
    JavaBlock snippet = new JavaBlock("doc.md", 1, "int r = shared.length();\n", false);
    String stage = "class Stage { static final String shared = \"from the stage\"; }\n";
    assertThat(compiler.problems(snippet, BlockSources.of(snippet, Optional.of(stage)))).isEmpty();
    assertThat(compiler.problems(snippet, BlockSources.of(snippet, Optional.empty())))
        .singleElement().asString().startsWith("doc.md:1: error: cannot find symbol");
  }

  @Test
  void aBlockThatDoesNotCompileIsReportedAtTheDocumentsLine() {
    JavaBlock broken = new JavaBlock("skills/x/SKILL.md", 40, """
        static final App app = App.named("broken");

        FunctionCall<Integer> call = FunctionCall.fromId("fc-1");
        int r = call.get(5);
        """, false);
    assertThat(compiler.problems(broken, BlockSources.of(broken, Optional.empty())))
        .singleElement().asString().startsWith("skills/x/SKILL.md:43: error: ");
  }

  @Test
  void aWarningIsAProblemToo() {
    JavaBlock raw = new JavaBlock("doc.md", 7, "List list = new ArrayList();\nlist.add(1);\n", false);
    assertThat(compiler.problems(raw, BlockSources.of(raw, Optional.empty())))
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p).containsPattern("^doc\\.md:[78]: warning: "));
  }
}
