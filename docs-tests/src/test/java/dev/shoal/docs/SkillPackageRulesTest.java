package dev.shoal.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The package rules reject what a skill's tools would choke on, naming the file, the field and the rule. */
class SkillPackageRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path skill;

  @Test
  void frontMatterNeedsAKebabNameMatchingItsDirectoryAShortDescriptionALicenseAndTheVersion() {
    String good = """
        ---
        name: my-skill
        description: Does things. Use it when things need doing.
        license: Apache-2.0
        metadata:
          shoal-version: "1.2.3"
        ---
        # Body
        """;
    assertThat(SkillPackageRules.frontMatterProblems(good, "my-skill", "1.2.3")).isEmpty();

    assertThat(SkillPackageRules.frontMatterProblems(good.replace("my-skill", "My_Skill"), "My_Skill", "1.2.3"))
        .singleElement().asString().contains("kebab-case");
    assertThat(SkillPackageRules.frontMatterProblems(good, "other", "1.2.3"))
        .singleElement().asString().contains("directory's name, 'other'");
    assertThat(SkillPackageRules.frontMatterProblems(
        good.replace("Does things.", "x".repeat(1100)), "my-skill", "1.2.3"))
        .singleElement().asString().contains("1..1024 characters, was 11");
    assertThat(SkillPackageRules.frontMatterProblems(good.replace("license: Apache-2.0\n", ""), "my-skill", "1.2.3"))
        .singleElement().asString().contains("license");
    assertThat(SkillPackageRules.frontMatterProblems(good, "my-skill", "2.0.0"))
        .singleElement().asString().contains("written for, 2.0.0, was '1.2.3'");
    assertThat(SkillPackageRules.frontMatterProblems("# no front matter\n", "my-skill", "1.2.3"))
        .singleElement().asString().contains("must start with YAML front matter");
  }

  @Test
  void evalsNeedUniqueIntegerIdsEveryFieldAndFilesOfTheSkill() throws IOException {
    Files.createDirectories(skill.resolve("evals/files"));
    Files.writeString(skill.resolve("evals/files/Given.java"), "class Given {}");
    ObjectNode root = JSON.createObjectNode().put("skill_name", "my-skill");
    ArrayNode evals = root.putArray("evals");
    for (int i = 1; i <= SkillPackageRules.MIN_EVALS; i++) {
      ObjectNode e = evals.addObject().put("id", i).put("prompt", "do " + i).put("expected_output", "done " + i);
      e.putArray("files").add("evals/files/Given.java");
      e.putArray("expectations").add("uses spawn");
    }
    assertThat(SkillPackageRules.evalsProblems(root, "my-skill", skill)).isEmpty();

    ((ObjectNode) evals.get(3)).put("id", 1);
    ((ObjectNode) evals.get(4)).remove("expected_output");
    ((ObjectNode) evals.get(5)).putArray("files").add("evals/files/Missing.java");
    ((ObjectNode) evals.get(6)).putArray("expectations");
    ((ObjectNode) evals.get(7)).put("expectation", "a typo of a field");
    assertThat(SkillPackageRules.evalsProblems(root, "my-skill", skill)).containsExactlyInAnyOrder(
        "evals.json evals[3] id 1 is not unique",
        "evals.json evals[4] lacks the field 'expected_output'",
        "evals.json evals[4] expected_output must be a non-blank string",
        "evals.json evals[5] lists the file \"evals/files/Missing.java\", which is not a file of the skill",
        "evals.json evals[6] expectations must be a non-empty array of checks on the produced code",
        "evals.json evals[7] has the unknown field 'expectation'; the fields are"
            + " [id, prompt, expected_output, files, expectations]");

    evals.remove(0);
    assertThat(SkillPackageRules.evalsProblems(root, "other-skill", skill)).contains(
        "evals.json skill_name must be 'other-skill', was \"my-skill\"",
        "evals.json must hold at least 12 evals in 'evals', had 11");
  }

  @Test
  void triggerQueriesMustBeEnoughDistinctAndAboutHalfTriggering() {
    ArrayNode queries = JSON.createArrayNode();
    for (int i = 0; i < SkillPackageRules.MIN_TRIGGER_QUERIES; i++) {
      queries.addObject().put("query", "query " + i).put("should_trigger", i % 2 == 0);
    }
    assertThat(SkillPackageRules.triggerProblems(queries)).isEmpty();

    for (int i = 1; i < 8; i += 2) {
      ((ObjectNode) queries.get(i)).put("should_trigger", true);
    }
    assertThat(SkillPackageRules.triggerProblems(queries))
        .containsExactly("trigger-evals.json must have 40%..60% queries that should trigger, had 14 of 20");

    ((ObjectNode) queries.get(1)).put("query", "Query 0 ").put("should_trigger", "yes");
    assertThat(SkillPackageRules.triggerProblems(queries)).contains(
        "trigger-evals.json [1] repeats the query \"Query 0 \"",
        "trigger-evals.json [1] should_trigger must be true or false, was \"yes\"");

    JsonNode tooFew = JSON.createArrayNode().add(queries.get(0));
    assertThat(SkillPackageRules.triggerProblems(tooFew)).singleElement().asString().contains("at least 20");
  }

  @Test
  void linksMustResolveAndEveryReferenceMustBeLinkedFromTheSkill() throws IOException {
    Files.createDirectories(skill.resolve("references"));
    Files.writeString(skill.resolve("references/used.md"), "Back to [the skill](../SKILL.md).");
    Files.writeString(skill.resolve("references/orphan.md"), "Nobody links here.");
    Files.writeString(skill.resolve("SKILL.md"), "Read [used](references/used.md) and [gone](references/gone.md),"
        + " and [the web](https://example.com/x).");
    assertThat(SkillPackageRules.linkProblems(skill)).containsExactlyInAnyOrder(
        "SKILL.md links to references/gone.md, which does not exist",
        "SKILL.md never links to references/orphan.md: an agent would not find it");
  }
}
