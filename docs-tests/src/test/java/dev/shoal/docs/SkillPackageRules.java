package dev.shoal.docs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shape an agent skill's package must have: front matter that the {@code skills} command accepts (and that
 * {@code shoal skills install} can stamp with a version), links that resolve, and evals in the shape their runners
 * read. Each rule reports a problem as a sentence that names the file, the field and the rule.
 */
final class SkillPackageRules {
  static final int MIN_EVALS = 12;
  static final int MIN_TRIGGER_QUERIES = 20;
  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private static final Pattern FRONT_MATTER = Pattern.compile("\\A---\\n(.*?)\\n---\\n", Pattern.DOTALL);
  /** The line {@code shoal skills install} rewrites with the installed version. */
  private static final Pattern VERSION_LINE = Pattern.compile("(?m)^  shoal-version: \\S.*$");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s#]+)(#[^)]*)?\\)");
  private static final List<String> EVAL_FIELDS = List.of("id", "prompt", "expected_output", "files", "expectations");
  private static final List<String> TRIGGER_FIELDS = List.of("query", "should_trigger");

  private SkillPackageRules() {}

  /** Problems of SKILL.md's front matter, for a skill in {@code directory} written for Shoal {@code version}. */
  static List<String> frontMatterProblems(String skillMd, String directory, String version) {
    List<String> problems = new ArrayList<>();
    Matcher m = FRONT_MATTER.matcher(skillMd);
    if (!m.find()) {
      return List.of("SKILL.md must start with YAML front matter between two '---' lines");
    }
    JsonNode front;
    try {
      front = new YAMLMapper().readTree(m.group(1));
    } catch (JsonProcessingException e) {
      return List.of("SKILL.md's front matter is not YAML: " + e.getOriginalMessage());
    }
    String name = front.path("name").asText("");
    if (!NAME.matcher(name).matches() || name.length() > 64) {
      problems.add("SKILL.md name must be kebab-case ([a-z0-9] words joined by '-'), at most 64 characters, was '"
          + name + "'");
    } else if (!name.equals(directory)) {
      problems.add("SKILL.md name must be its directory's name, '" + directory + "', was '" + name + "'");
    }
    String description = front.path("description").asText("");
    if (description.isBlank() || description.length() > 1024) {
      problems.add("SKILL.md description must say when to use the skill in 1..1024 characters, was "
          + description.length());
    }
    if (front.path("license").asText("").isBlank()) {
      problems.add("SKILL.md must name its license");
    }
    String written = front.path("metadata").path("shoal-version").asText("");
    if (!written.equals(version)) {
      problems.add("SKILL.md metadata.shoal-version must be the Shoal version it was written for, " + version
          + ", was '" + written + "'");
    } else if (!VERSION_LINE.matcher(m.group(1)).find()) {
      problems.add("SKILL.md must write metadata.shoal-version on a line of its own indented by two spaces, which"
          + " `shoal skills install` rewrites");
    }
    return problems;
  }

  /** Links in the skill's Markdown that point nowhere, and references that SKILL.md never points to. */
  static List<String> linkProblems(Path skill) {
    List<String> problems = new ArrayList<>();
    Set<Path> linkedFromSkill = new HashSet<>();
    for (Path doc : files(skill, ".md")) {
      for (Matcher m = LINK.matcher(read(doc)); m.find(); ) {
        String target = m.group(1);
        if (target.contains("://")) {
          continue;
        }
        Path resolved = doc.getParent().resolve(target).normalize();
        if (!Files.exists(resolved)) {
          problems.add(skill.relativize(doc) + " links to " + target + ", which does not exist");
        }
        if (doc.getFileName().toString().equals("SKILL.md")) {
          linkedFromSkill.add(resolved);
        }
      }
    }
    for (Path reference : files(skill.resolve("references"), ".md")) {
      if (!linkedFromSkill.contains(reference.normalize())) {
        problems.add("SKILL.md never links to " + skill.relativize(reference) + ": an agent would not find it");
      }
    }
    return problems;
  }

  /** Problems of evals/evals.json, whose listed files are relative to the skill's directory. */
  static List<String> evalsProblems(JsonNode root, String skillName, Path skill) {
    List<String> problems = new ArrayList<>();
    if (!root.path("skill_name").asText("").equals(skillName)) {
      problems.add("evals.json skill_name must be '" + skillName + "', was " + root.path("skill_name"));
    }
    JsonNode evals = root.path("evals");
    if (!evals.isArray() || evals.size() < MIN_EVALS) {
      problems.add("evals.json must hold at least " + MIN_EVALS + " evals in 'evals', had " + evals.size());
      return problems;
    }
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < evals.size(); i++) {
      JsonNode e = evals.get(i);
      String where = "evals.json evals[" + i + "]";
      fields(e, EVAL_FIELDS, where, problems);
      if (!e.path("id").canConvertToLong() || !e.path("id").isIntegralNumber()) {
        problems.add(where + " id must be an integer, was " + e.path("id"));
      } else if (!ids.add(e.path("id").asLong())) {
        problems.add(where + " id " + e.path("id") + " is not unique");
      }
      text(e, "prompt", where, problems);
      text(e, "expected_output", where, problems);
      if (!e.path("files").isArray()) {
        problems.add(where + " files must be an array of paths (empty when the task needs none)");
      } else {
        for (JsonNode file : e.path("files")) {
          if (!file.isTextual() || !Files.isRegularFile(skill.resolve(file.asText()))) {
            problems.add(where + " lists the file " + file + ", which is not a file of the skill");
          }
        }
      }
      JsonNode expectations = e.path("expectations");
      if (!expectations.isArray() || expectations.isEmpty()) {
        problems.add(where + " expectations must be a non-empty array of checks on the produced code");
      } else {
        for (JsonNode expectation : expectations) {
          if (!expectation.isTextual() || expectation.asText().isBlank()) {
            problems.add(where + " has an expectation that is not a sentence: " + expectation);
          }
        }
      }
    }
    return problems;
  }

  /** Problems of evals/trigger-evals.json: enough queries, each once, about as many that trigger as not. */
  static List<String> triggerProblems(JsonNode queries) {
    List<String> problems = new ArrayList<>();
    if (!queries.isArray() || queries.size() < MIN_TRIGGER_QUERIES) {
      return List.of("trigger-evals.json must be an array of at least " + MIN_TRIGGER_QUERIES + " queries, had "
          + queries.size());
    }
    Set<String> seen = new HashSet<>();
    int triggering = 0;
    for (int i = 0; i < queries.size(); i++) {
      JsonNode q = queries.get(i);
      String where = "trigger-evals.json [" + i + "]";
      fields(q, TRIGGER_FIELDS, where, problems);
      if (text(q, "query", where, problems) && !seen.add(q.path("query").asText().strip().toLowerCase(Locale.ROOT))) {
        problems.add(where + " repeats the query " + q.path("query"));
      }
      if (!q.path("should_trigger").isBoolean()) {
        problems.add(where + " should_trigger must be true or false, was " + q.path("should_trigger"));
      } else if (q.path("should_trigger").asBoolean()) {
        triggering++;
      }
    }
    double share = (double) triggering / queries.size();
    if (share < 0.4 || share > 0.6) {
      problems.add(String.format(Locale.ROOT, "trigger-evals.json must have 40%%..60%% queries that should trigger,"
          + " had %d of %d", triggering, queries.size()));
    }
    return problems;
  }

  private static void fields(JsonNode node, List<String> expected, String where, List<String> problems) {
    if (!node.isObject()) {
      problems.add(where + " must be an object with " + expected);
      return;
    }
    for (String field : expected) {
      if (!node.has(field)) {
        problems.add(where + " lacks the field '" + field + "'");
      }
    }
    node.fieldNames().forEachRemaining(field -> {
      if (!expected.contains(field)) {
        problems.add(where + " has the unknown field '" + field + "'; the fields are " + expected);
      }
    });
  }

  private static boolean text(JsonNode node, String field, String where, List<String> problems) {
    if (!node.path(field).isTextual() || node.path(field).asText().isBlank()) {
      problems.add(where + " " + field + " must be a non-blank string");
      return false;
    }
    return true;
  }

  private static List<Path> files(Path directory, String suffix) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
