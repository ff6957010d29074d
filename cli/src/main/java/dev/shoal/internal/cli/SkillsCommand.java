package dev.shoal.internal.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shoal skills install}: puts the Shoal agent skill (shoal-batch-processing) where a coding agent working on
 * the current project finds it, stamped with this Shoal's version.
 */
@Command(name = "skills", addMethodSubcommands = false, // ShoalCli adds them, the needed ones only
    description = "Install the Shoal agent skill, which teaches coding agents to write Shoal"
    + " batch jobs.")
final class SkillsCommand {
  /** What marks the root of the current project, looking up from the working directory. */
  private static final String[] PROJECT_MARKERS = {".claude", ".agents", ".git"};

  @Command(name = "install", description = {
      "Copy the shoal-batch-processing skill into the current project's skills",
      "directory: .claude/skills/, or .agents/skills/ when the project has .agents/",
      "and no .claude/; or into --dir. Its metadata gets this Shoal's version.",
      "A copy changed since Shoal installed it is only replaced with --force."})
  int install(
      @Option(names = "--dir", paramLabel = "DIR",
          description = "the skills directory to install into, instead of the project's") Path dir,
      @Option(names = "--force", description = "replace a copy that was changed since Shoal installed it") boolean force,
      @Option(names = "--json", description = "print JSON: {skill, status, version, directory, files}") boolean json) {
    Path skills = dir != null ? dir.toAbsolutePath().normalize() : projectSkillsDirectory();
    SkillInstaller.Installation done = SkillInstaller.install(skills, VersionProvider.version(), force);
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("skill", SkillInstaller.NAME);
      out.put("status", done.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'));
      out.put("version", done.version());
      out.put("directory", done.directory().toString());
      out.put("files", done.files());
      System.out.println(Json.write(out));
      return ExitCodes.OK;
    }
    String what = "the " + SkillInstaller.NAME + " skill (Shoal " + done.version() + ", " + done.files() + " files)";
    System.out.println(switch (done.outcome()) {
      case INSTALLED -> "Installed " + what + " in " + done.directory();
      case UPDATED -> "Updated " + what + " in " + done.directory();
      case UP_TO_DATE -> "Already installed: " + what + " in " + done.directory() + "; nothing changed";
      case REPLACED -> "Replaced the changed copy in " + done.directory() + " with " + what;
    });
    return ExitCodes.OK;
  }

  /**
   * The skills directory of the project the working directory belongs to: the nearest directory up from it that
   * holds {@code .claude}, {@code .agents} or {@code .git} (the home directory excluded, whose {@code .claude} is
   * an agent's own configuration), else the working directory itself. Agents that read {@code .claude/skills}
   * come first; a project that has only {@code .agents} gets {@code .agents/skills}.
   */
  private static Path projectSkillsDirectory() {
    Path cwd = Path.of("").toAbsolutePath().normalize();
    Path home = Path.of(System.getProperty("user.home")).toAbsolutePath().normalize();
    Path project = cwd;
    for (Path p = cwd; p != null && !p.equals(home); p = p.getParent()) {
      if (hasAny(p)) {
        project = p;
        break;
      }
    }
    boolean onlyAgents = !Files.isDirectory(project.resolve(".claude")) && Files.isDirectory(project.resolve(".agents"));
    return project.resolve(onlyAgents ? ".agents" : ".claude").resolve("skills");
  }

  private static boolean hasAny(Path directory) {
    for (String marker : PROJECT_MARKERS) {
      if (Files.exists(directory.resolve(marker))) {
        return true;
      }
    }
    return false;
  }
}
