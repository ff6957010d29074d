package dev.shoal.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.shoal.docs.BlockSources.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Java block of the README, {@code docs/} and the skills, and every Java file of the skills, compiles against
 * the SDK as an application sees it (dev.shoal:shoal and its dependencies), with the build's lint. The convention
 * that turns a block into sources is {@link BlockSources}'s.
 */
class DocumentationCompilesTest {
  private static BlockCompiler compiler;

  @BeforeAll
  static void startCompiler() {
    compiler = new BlockCompiler(Documentation.applicationClasspath());
  }

  @AfterAll
  static void closeCompiler() throws IOException {
    compiler.close();
  }

  @TestFactory
  Stream<DynamicTest> everyJavaBlockCompilesAgainstTheSdk() {
    return blocks().stream().filter(b -> !b.fragment()).map(block -> dynamicTest(block.toString(), () -> {
      List<Source> sources = BlockSources.of(block, Documentation.stage(block.document()));
      assertThat(compiler.problems(block, sources))
          .as("%s does not compile as the documentation's convention wraps it:\n%s", block, sources.getFirst().text())
          .isEmpty();
    }));
  }

  @TestFactory
  Stream<DynamicTest> everyJavaFileOfTheSkillsCompilesAgainstTheSdk() {
    return Documentation.skillSources().stream().map(file -> dynamicTest(file, () -> {
      String text = Documentation.read(file);
      JavaBlock whole = new JavaBlock(file, 1, text, false);
      String name = Path.of(file).getFileName().toString();
      int[] lines = new int[(int) text.lines().count()];
      for (int i = 0; i < lines.length; i++) {
        lines[i] = i + 1;
      }
      assertThat(compiler.problems(whole, List.of(new Source(name, text, lines)))).isEmpty();
    }));
  }

  @Test
  void theDocumentationTeachesOnlyThePublicApi() {
    List<String> internal = new ArrayList<>();
    for (JavaBlock block : blocks()) {
      if (block.code().contains("dev.shoal.internal")) {
        internal.add(block.toString());
      }
    }
    for (String file : Documentation.skillSources()) {
      if (Documentation.read(file).contains("dev.shoal.internal")) {
        internal.add(file);
      }
    }
    assertThat(internal).as("blocks and files that use dev.shoal.internal, which applications must not").isEmpty();
  }

  /** A wrong root or a renamed fence would otherwise leave nothing to check, and every test above would pass. */
  @Test
  void theReadmeAndTheSkillHaveJavaBlocksToCheck() {
    List<JavaBlock> blocks = blocks();
    assertThat(blocks).filteredOn(b -> b.document().equals("README.md")).hasSizeGreaterThanOrEqualTo(5);
    assertThat(blocks).filteredOn(b -> b.document().startsWith("skills/shoal-batch-processing/"))
        .hasSizeGreaterThanOrEqualTo(7);
    assertThat(Documentation.skillSources()).contains("skills/shoal-batch-processing/scripts/SmokeTest.java");
  }

  @Test
  void fragmentsAreRare() {
    List<String> fragments = blocks().stream().filter(JavaBlock::fragment).map(JavaBlock::toString).toList();
    assertThat(fragments).as("blocks fenced as java fragment, which nothing compiles").hasSizeLessThanOrEqualTo(3);
  }

  /** The skills are copied into other projects without this repository's stages: their blocks must be complete. */
  @Test
  void everyStageBelongsToADocumentAndNoneToASkill() throws IOException {
    List<String> documents = Documentation.markdownDocuments();
    try (Stream<Path> stages = Files.walk(Documentation.stages())) {
      List<String> stageDocuments = stages.filter(Files::isRegularFile)
          .map(p -> Documentation.stages().relativize(p).toString().replace('\\', '/'))
          .map(p -> p.substring(0, p.length() - ".java".length()))
          .toList();
      assertThat(documents).containsAll(stageDocuments);
      assertThat(stageDocuments).noneMatch(d -> d.startsWith("skills/"));
    }
  }

  private static List<JavaBlock> blocks() {
    List<JavaBlock> blocks = new ArrayList<>();
    for (String document : Documentation.markdownDocuments()) {
      blocks.addAll(MarkdownJavaBlocks.in(document, Documentation.read(document)));
    }
    return blocks;
  }
}
