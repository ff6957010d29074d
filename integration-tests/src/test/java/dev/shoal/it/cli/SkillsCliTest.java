package dev.shoal.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent skill as a user gets it: {@code shoal skills install} from the built CLI into a project, and the skill's
 * smoke test through {@code shoal run} on the embedded engine, each command in a JVM of its own.
 */
class SkillsCliTest {
  private static final Path SKILL = Path.of(System.getProperty("user.dir")).getParent()
      .resolve("skills/shoal-batch-processing");

  @TempDir
  static Path temp;

  /** The version the CLI reports, which an installed skill must carry. */
  private static String version;

  @BeforeAll
  static void readTheCliVersion() throws Exception {
    String out = client("version").run("--version").assertExit(0).out();
    version = out.lines().findFirst().orElseThrow().substring("shoal ".length()).strip();
  }

  private static Cli client(String name) throws IOException {
    Path home = Files.createDirectories(temp.resolve(name));
    return new Cli(home.resolve(".shoal").resolve("config.toml"), home);
  }

  @Test
  void theSkillsSmokeTestPassesThroughShoalRunOnTheEmbeddedEngine() throws Exception {
    Path volumes = Files.createDirectories(temp.resolve("smoke-volumes"));
    Cli.Result run = client("smoke").run(Map.of("SHOAL_VOLUMES_DIR", volumes.toString()),
        "run", SKILL.resolve("scripts/SmokeTest.java").toString()).assertExit(0);

    assertThat(run.out().lines().toList()).singleElement().asString()
        .startsWith("PASS shoal-batch-processing smoke test: map, starmap, spawn + fromId, spawnMap into a volume,"
            + " batched (");
    assertThat(run.err()).doesNotContain("FAIL", "WARNING");
  }

  @Test
  void skillsInstallFromASubdirectoryPutsTheSkillInTheProjectsAgentsDirectoryWithTheInstalledVersion()
      throws Exception {
    Path project = Files.createDirectories(temp.resolve("agents-project"));
    Files.createDirectories(project.resolve(".git"));
    Files.createDirectories(project.resolve(".agents"));
    Path subdirectory = Files.createDirectories(project.resolve("src/main/java"));

    Cli.Result install = client("agents").in(subdirectory).run("skills", "install", "--json").assertExit(0);

    Path installed = project.resolve(".agents/skills/shoal-batch-processing");
    assertThat(install.out().strip()).isEqualTo("{\"skill\":\"shoal-batch-processing\",\"status\":\"installed\","
        + "\"version\":\"" + version + "\",\"directory\":\"" + installed + "\",\"files\":" + files(SKILL).size() + "}");
    assertThat(project.resolve(".claude")).doesNotExist();
    assertIsTheRepositorysSkillStampedWithTheCliVersion(installed);
  }

  @Test
  void skillsInstallUsesClaudeSkillsWhenTheProjectHasNoAgentsDirectoryAndDirWhenGiven() throws Exception {
    Path project = Files.createDirectories(temp.resolve("plain-project"));
    Files.createDirectories(project.resolve(".git"));
    Cli cli = client("claude").in(project);

    assertThat(cli.run("skills", "install").assertExit(0).out())
        .startsWith("Installed the shoal-batch-processing skill (Shoal " + version + ", ")
        .contains(project.resolve(".claude/skills/shoal-batch-processing").toString());
    assertIsTheRepositorysSkillStampedWithTheCliVersion(project.resolve(".claude/skills/shoal-batch-processing"));

    cli.run("skills", "install", "--dir", "tools/skills").assertExit(0);
    assertIsTheRepositorysSkillStampedWithTheCliVersion(project.resolve("tools/skills/shoal-batch-processing"));
  }

  @Test
  void skillsInstallRefusesToOverwriteAChangedCopyUntilForced() throws Exception {
    Path project = Files.createDirectories(temp.resolve("edited-project"));
    Files.createDirectories(project.resolve(".claude"));
    Cli cli = client("edited").in(project);
    cli.run("skills", "install").assertExit(0);
    assertThat(cli.run("skills", "install", "--json").assertExit(0).out()).contains("\"status\":\"up-to-date\"");

    Path reference = project.resolve(".claude/skills/shoal-batch-processing/references/dynamic-batching.md");
    Files.writeString(reference, "\nOur own rule.\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    Cli.Result refused = cli.run("skills", "install").assertExit(1);
    assertThat(refused.err()).contains("was changed after Shoal installed it", "references/dynamic-batching.md",
        "nothing was written", "shoal skills install --force");
    assertThat(Files.readString(reference)).endsWith("Our own rule.\n");

    assertThat(cli.run("skills", "install", "--force", "--json").assertExit(0).out())
        .contains("\"status\":\"replaced\"");
    assertIsTheRepositorysSkillStampedWithTheCliVersion(reference.getParent().getParent());
  }

  /** Every file of the repository's skill, and no other; SKILL.md with the CLI's version and a checksum. */
  private static void assertIsTheRepositorysSkillStampedWithTheCliVersion(Path installed) throws IOException {
    List<Path> expected = files(SKILL);
    assertThat(files(installed)).isEqualTo(expected);
    for (Path file : expected) {
      if (!file.toString().equals("SKILL.md")) {
        assertThat(installed.resolve(file)).hasSameBinaryContentAs(SKILL.resolve(file));
      }
    }
    String skillMd = Files.readString(installed.resolve("SKILL.md"));
    assertThat(skillMd).containsPattern("\n  shoal-version: \"" + version.replace(".", "\\.") + "\"\n"
        + "  shoal-install-sha256: \"[0-9a-f]{64}\"\n");
    assertThat(skillMd.replaceFirst("  shoal-install-sha256: .*\n", "")
        .replaceFirst("  shoal-version: .*\n", ""))
        .isEqualTo(Files.readString(SKILL.resolve("SKILL.md")).replaceFirst("  shoal-version: .*\n", ""));
  }

  private static List<Path> files(Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile).map(directory::relativize).sorted().toList();
    }
  }
}
