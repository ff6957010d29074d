package dev.shoal.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.cli.SkillInstaller.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installing the packaged skill: versions, upgrades of Shoal's own copies, and refusing to lose someone's edits. */
class SkillInstallerTest {
  @TempDir
  Path skills;

  @Test
  void theSkillIsPackagedWithItsReferencesEvalsAndSmokeTest() {
    assertThat(SkillInstaller.bundled().keySet()).contains(
        "SKILL.md",
        "references/map-and-gather.md",
        "references/job-queues-and-detached-runs.md",
        "references/dynamic-batching.md",
        "evals/evals.json",
        "evals/trigger-evals.json",
        "scripts/SmokeTest.java");
  }

  @Test
  void installWritesEveryFileWithTheVersionAndAChecksumInTheMetadata() throws IOException {
    SkillInstaller.Installation done = SkillInstaller.install(skills, "9.8.7", false);

    assertThat(done.outcome()).isEqualTo(Outcome.INSTALLED);
    Path skill = skills.resolve("shoal-batch-processing");
    assertThat(done.directory()).isEqualTo(skill);
    SortedMap<String, byte[]> bundled = SkillInstaller.bundled();
    assertThat(SkillInstaller.read(skill).keySet()).isEqualTo(bundled.keySet());
    assertThat(done.files()).isEqualTo(bundled.size());
    assertThat(skill.resolve("references/dynamic-batching.md"))
        .hasBinaryContent(bundled.get("references/dynamic-batching.md"));
    String skillMd = Files.readString(skill.resolve("SKILL.md"));
    assertThat(skillMd).startsWith("---\nname: shoal-batch-processing\n")
        .containsPattern("\nmetadata:\n  shoal-version: \"9\\.8\\.7\"\n  shoal-install-sha256: \"[0-9a-f]{64}\"\n---\n");
    assertThat(skillMd.lines().filter(l -> l.contains("shoal-version"))).hasSize(1);
  }

  @Test
  void installingTheSameVersionAgainWritesNothing() throws IOException {
    SkillInstaller.install(skills, "1.0.0", false);
    Path skillMd = skills.resolve("shoal-batch-processing/SKILL.md");
    FileTime before = Files.getLastModifiedTime(skillMd);

    assertThat(SkillInstaller.install(skills, "1.0.0", false).outcome()).isEqualTo(Outcome.UP_TO_DATE);
    assertThat(Files.getLastModifiedTime(skillMd)).isEqualTo(before);
  }

  @Test
  void anUnchangedCopyOfAnotherVersionIsUpdatedWithoutForce() throws IOException {
    SkillInstaller.install(skills, "1.0.0", false);

    assertThat(SkillInstaller.install(skills, "1.1.0", false).outcome()).isEqualTo(Outcome.UPDATED);
    assertThat(Files.readString(skills.resolve("shoal-batch-processing/SKILL.md")))
        .contains("  shoal-version: \"1.1.0\"\n").doesNotContain("1.0.0");
    assertThat(skills).isDirectoryNotContaining("glob:**/.shoal-batch-processing-*");
  }

  @Test
  void aChangedCopyIsRefusedWithoutForceNamingWhatChangedAndKeepsTheChanges() throws IOException {
    SkillInstaller.install(skills, "1.0.0", false);
    Path reference = skills.resolve("shoal-batch-processing/references/map-and-gather.md");
    Files.writeString(reference, "\nOur team's note.\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    Path added = skills.resolve("shoal-batch-processing/references/ours.md");
    Files.writeString(added, "Ours.");

    assertThatThrownBy(() -> SkillInstaller.install(skills, "1.1.0", false))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("was changed after Shoal installed it")
        .hasMessageContaining("references/map-and-gather.md, references/ours.md")
        .hasMessageContaining("nothing was written")
        .hasMessageContaining("--force")
        .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCodes.FAILED));
    assertThat(Files.readString(reference)).endsWith("Our team's note.\n");
    assertThat(added).exists();
    assertThat(Files.readString(skills.resolve("shoal-batch-processing/SKILL.md"))).contains("\"1.0.0\"");
  }

  @Test
  void aCopyShoalDidNotInstallIsRefusedToo() throws IOException {
    Path copied = Files.createDirectories(skills.resolve("shoal-batch-processing"));
    Files.writeString(copied.resolve("SKILL.md"), "---\nname: shoal-batch-processing\n---\nCopied by hand.\n");

    assertThatThrownBy(() -> SkillInstaller.install(skills, "1.0.0", false)).isInstanceOf(CliException.class);
    assertThat(Files.readString(copied.resolve("SKILL.md"))).contains("Copied by hand.");
  }

  @Test
  void forceReplacesAChangedCopyWithExactlyThisVersionsFiles() throws IOException {
    SkillInstaller.install(skills, "1.0.0", false);
    Path skill = skills.resolve("shoal-batch-processing");
    Files.writeString(skill.resolve("references/ours.md"), "Ours.");
    Files.writeString(skill.resolve("SKILL.md"), "edited");

    assertThat(SkillInstaller.install(skills, "1.1.0", true).outcome()).isEqualTo(Outcome.REPLACED);
    assertThat(skill.resolve("references/ours.md")).doesNotExist();
    assertThat(SkillInstaller.isAsInstalled(SkillInstaller.read(skill))).isTrue();
    assertThat(SkillInstaller.install(skills, "1.1.0", false).outcome()).isEqualTo(Outcome.UP_TO_DATE);
  }
}
