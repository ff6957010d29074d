package dev.shoal.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** The help of every command, as a person reads it on an 80-column terminal. */
class HelpTest {
  @Test
  void everyHelpPageFitsEightyColumnsAndNeverBreaksAWord() {
    List<String> problems = new ArrayList<>();
    for (CommandLine command : commands(ShoalCli.commandLine())) {
      String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
      String name = command.getCommandSpec().qualifiedName();
      help.lines().filter(line -> line.length() > ShoalCli.HELP_WIDTH)
          .forEach(line -> problems.add(name + ": a line is wider than 80 columns: " + line));
      List<String> words = help.lines().flatMap(line -> Arrays.stream(line.strip().split("\\s+"))).toList();
      for (String text : descriptions(command.getCommandSpec())) {
        for (String word : text.strip().split("\\s+")) {
          if (!word.contains("${") && !word.contains("%n") && !words.contains(word)) {
            problems.add(name + ": '" + word + "' is broken across lines");
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theQuickVersionPrintsWhatPicocliWouldAndOnlyForAVersionRequest() {
    StringWriter picocli = new StringWriter();
    CommandLine cli = ShoalCli.commandLine();
    cli.setOut(new PrintWriter(picocli));
    assertThat(cli.execute("--version")).isZero();
    for (String flag : List.of("--version", "-V")) {
      ByteArrayOutputStream quick = new ByteArrayOutputStream();
      assertThat(ShoalCli.printedVersion(new String[] {flag}, new PrintStream(quick, true, StandardCharsets.UTF_8)))
          .isTrue();
      assertThat(quick.toString(StandardCharsets.UTF_8).lines()).isEqualTo(picocli.toString().lines().toList());
    }
    PrintStream unused = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThat(ShoalCli.printedVersion(new String[] {"app", "--version"}, unused)).isFalse();
    assertThat(ShoalCli.printedVersion(new String[] {"--version", "--help"}, unused)).isFalse();
    assertThat(ShoalCli.printedVersion(new String[0], unused)).isFalse();
  }

  @Test
  void aCommandLineNamingASubcommandBuildsThatOneAloneAndHelpOrCompletionBuildEveryOne() {
    assertThat(ShoalCli.commandLine(new String[] {"app", "list", "--json"}).getSubcommands().keySet())
        .containsExactly("app");
    assertThat(ShoalCli.commandLine(new String[] {"run", "Job.java", "--json"}).getSubcommands().get("run")
        .isStopAtPositional()).isTrue();
    List<String> every = List.copyOf(ShoalCli.commandLine().getSubcommands().keySet());
    assertThat(every).contains("app", "run", "help", "completion");
    for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"help", "app"},
        new String[] {"completion", "bash"}, new String[] {"no-such-command"})) {
      assertThat(ShoalCli.commandLine(args).getSubcommands().keySet()).as(String.join(" ", args))
          .containsExactlyElementsOf(every);
    }
  }

  @Test
  void aCommandLineNamingAMethodSubcommandBuildsThatOneAloneWithTheSameHelpAsInTheWholeTree() {
    CommandLine tree = ShoalCli.commandLine();
    for (String[] args : List.of(new String[] {"app", "list", "--json"}, new String[] {"volume", "ls", "data"},
        new String[] {"profile", "current"})) {
      CommandLine alone = ShoalCli.commandLine(args).getSubcommands().get(args[0]);
      assertThat(alone.getSubcommands().keySet()).as(String.join(" ", args)).containsExactly(args[1]);
      assertThat(alone.getSubcommands().get(args[1]).getUsageMessage(CommandLine.Help.Ansi.OFF))
          .isEqualTo(tree.getSubcommands().get(args[0]).getSubcommands().get(args[1])
              .getUsageMessage(CommandLine.Help.Ansi.OFF));
    }
    for (String[] args : List.of(new String[] {"app"}, new String[] {"app", "--help"},
        new String[] {"call", "my-app", "square", "3"})) {
      assertThat(ShoalCli.commandLine(args).getSubcommands().get(args[0]).getSubcommands().keySet())
          .as(String.join(" ", args))
          .containsExactlyElementsOf(tree.getSubcommands().get(args[0]).getSubcommands().keySet());
    }
  }

  @Test
  void theTopLevelHelpIsTheSameFromSummariesOfTheSubcommands() {
    for (CommandLine.Help.Ansi ansi : List.of(CommandLine.Help.Ansi.OFF, CommandLine.Help.Ansi.ON)) {
      String tree = ShoalCli.commandLine().getUsageMessage(ansi);
      for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"-h"})) {
        CommandLine shallow = ShoalCli.commandLine(args);
        assertThat(shallow.getUsageMessage(ansi)).as(ansi + " " + String.join(" ", args)).isEqualTo(tree);
        assertThat(shallow.getSubcommands().get("app").getSubcommands()).as(String.join(" ", args)).isEmpty();
        assertThat(shallow.getSubcommands().get("app").getCommandSpec().options()).as(String.join(" ", args))
            .isEmpty();
      }
    }
  }

  @Test
  void helpAndNoArgumentsPrintAndExitAsWithTheWholeTree() {
    for (CommandLine.Help.Ansi ansi : List.of(CommandLine.Help.Ansi.OFF, CommandLine.Help.Ansi.ON)) {
      for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"-h"})) {
        assertThat(executed(ShoalCli.commandLine(args), ansi, args)).as(ansi + " " + String.join(" ", args))
            .isEqualTo(executed(ShoalCli.commandLine(), ansi, args));
      }
    }
  }

  @Test
  void aSubcommandAloneHasTheSameHelpAsInTheWholeTree() {
    for (String name : ShoalCli.commandLine().getSubcommands().keySet()) {
      CommandLine inTree = ShoalCli.commandLine().getSubcommands().get(name);
      CommandLine alone = ShoalCli.commandLine(new String[] {name}).getSubcommands().get(name);
      for (CommandLine command : commands(inTree)) {
        CommandLine same = alone;
        for (String word : command.getCommandSpec().qualifiedName().split(" ")) {
          if (!word.equals("shoal") && !word.equals(name)) {
            same = same.getSubcommands().get(word);
          }
        }
        assertThat(same.getUsageMessage(CommandLine.Help.Ansi.OFF)).as(command.getCommandSpec().qualifiedName())
            .isEqualTo(command.getUsageMessage(CommandLine.Help.Ansi.OFF));
      }
    }
  }

  @Test
  void onlyTheTopLevelHelpListsExitCodesAndConfiguration() {
    CommandLine root = ShoalCli.commandLine();
    assertThat(root.getUsageMessage(CommandLine.Help.Ansi.OFF)).contains("Exit codes:", "SHOAL_DEBUG=1");
    for (CommandLine command : commands(root).subList(1, commands(root).size())) {
      String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
      assertThat(help).as(command.getCommandSpec().qualifiedName())
          .doesNotContain("Exit codes:", "SHOAL_DEBUG=1");
    }
    assertThat(root.getSubcommands().get("volume").getUsageMessage(CommandLine.Help.Ansi.OFF))
        .endsWith("Exit codes and configuration: `shoal --help`." + System.lineSeparator());
  }

  @Test
  void deployTakesItsOptionsAfterTheSourceFile() {
    CommandLine cli = ShoalCli.commandLine();
    CommandLine.ParseResult parsed = cli.parseArgs("deploy", "Hello.java", "--json");
    DeployCommand deploy = parsed.subcommand().commandSpec().commandLine().getCommand();
    assertThat(deploy.json).isTrue();
    assertThat(deploy.positionals).containsExactly("Hello.java");
  }

  @Test
  void completionScriptsKnowTheCommandsAndTheirOptions() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stdout = System.out;
    System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertThat(ShoalCli.commandLine().execute("completion", "zsh")).isZero();
    } finally {
      System.setOut(stdout);
    }
    String script = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(script).startsWith("autoload -U +X compinit && compinit").contains("complete -F _complete_shoal",
        "volume", "--json", "--recursive");
  }

  /** The exit code, standard output and standard error of {@code args} run by {@code cli}. */
  private static List<Object> executed(CommandLine cli, CommandLine.Help.Ansi ansi, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return List.of(exit, out.toString(), err.toString());
  }

  private static List<String> descriptions(CommandSpec spec) {
    List<String> texts = new ArrayList<>(Arrays.asList(spec.usageMessage().description()));
    Stream.concat(spec.options().stream(), spec.positionalParameters().stream())
        .map(ArgSpec::description)
        .forEach(d -> texts.addAll(Arrays.asList(d)));
    return texts;
  }

  private static List<CommandLine> commands(CommandLine root) {
    List<CommandLine> all = new ArrayList<>();
    all.add(root);
    root.getSubcommands().values().forEach(sub -> all.addAll(commands(sub)));
    return all.stream().distinct().toList();
  }
}
