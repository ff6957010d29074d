package dev.shoal.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every skill under {@code skills/} has the package shape of {@link SkillPackageRules}. */
class SkillPackageTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everySkillHasFrontMatterTheSkillsCommandAcceptsWrittenForThisShoal() throws IOException {
    for (Path skill : skills()) {
      String name = skill.getFileName().toString();
      assertThat(SkillPackageRules.frontMatterProblems(Files.readString(skill.resolve("SKILL.md")), name,
          System.getProperty("shoal.version"))).as(name).isEmpty();
    }
  }

  @Test
  void everySkillLinksEachOfItsReferencesAndEveryLinkResolves() {
    for (Path skill : skills()) {
      assertThat(SkillPackageRules.linkProblems(skill)).as(skill.getFileName().toString()).isEmpty();
    }
  }

  @Test
  void everySkillsEvalsHaveUniqueIdsEveryFieldAndFilesThatExist() throws IOException {
    for (Path skill : skills()) {
      JsonNode evals = JSON.readTree(skill.resolve("evals/evals.json").toFile());
      assertThat(SkillPackageRules.evalsProblems(evals, skill.getFileName().toString(), skill))
          .as(skill.getFileName().toString()).isEmpty();
    }
  }

  @Test
  void everySkillsTriggerEvalsAreEnoughDistinctAndBalanced() throws IOException {
    for (Path skill : skills()) {
      JsonNode queries = JSON.readTree(skill.resolve("evals/trigger-evals.json").toFile());
      assertThat(SkillPackageRules.triggerProblems(queries)).as(skill.getFileName().toString()).isEmpty();
    }
  }

  @Test
  void theBatchProcessingSkillShipsItsSmokeTest() {
    assertThat(skills()).extracting(p -> p.getFileName().toString()).contains("shoal-batch-processing");
    assertThat(Documentation.root().resolve("skills/shoal-batch-processing/scripts/SmokeTest.java")).isRegularFile();
  }

  private static List<Path> skills() {
    try (Stream<Path> dirs = Files.list(Documentation.root().resolve("skills"))) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("SKILL.md"))).sorted().toList();
    } catch (IOException e) {
      throw new AssertionError("cannot list skills/", e);
    }
  }
}
