package dev.shoal.internal.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code shoal} command. Each subcommand is a class of its own; this class wires them together and turns
 * exceptions into the exit codes listed in {@code shoal --help}, which scripts may rely on.
 */
@Command(name = "shoal",
    scope = ScopeType.INHERIT, // every subcommand gets -h/--help and the exit codes in its help
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run, deploy and inspect Shoal apps, and run a Shoal server.",
    // The subcommands are added by commandLine(), from SUBCOMMANDS.
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:ok",
        "1:the operation failed: a call failed or timed out, a check failed",
        "2:usage error",
        "3:not found: no such profile, app, call, class, volume or file, or a result no longer kept",
        "4:unauthenticated (wrong or missing token), or the server is unreachable",
    },
    footer = {
        "",
        "`shoal run` exits with the job's own exit code.",
        "",
        "Configuration: profiles in ~/.shoal/config.toml (or $SHOAL_CONFIG);",
        "SHOAL_PROFILE, SHOAL_SERVER, SHOAL_TOKEN and SHOAL_ENVIRONMENT override it.",
        "No server configured means the embedded engine, in the job's own process.",
        "Set SHOAL_DEBUG=1 for stack traces.",
    })
public final class ShoalCli {
  /** The help is written for a terminal of 80 columns, the narrowest in common use. */
  static final int HELP_WIDTH = 80;
  private static final String[] ROOT_FOOTER = ShoalCli.class.getAnnotation(Command.class).footer();
  private static final String[] SUBCOMMAND_FOOTER = {"", "Exit codes and configuration: `shoal --help`."};
  /** The subcommands, in the order {@code shoal --help} lists them. */
  private static final List<Class<?>> SUBCOMMANDS = List.of(
      ProfileCommand.class,
      DoctorCommand.class,
      RunCommand.class,
      DeployCommand.class,
      AppCommand.class,
      CallCommand.class,
      VolumeCommand.class,
      SecretCommand.class,
      ServerCommand.class,
      DashboardCommand.class,
      SkillsCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class);
  /** The subcommands that read the whole tree of commands: help about any command, completion of every one. */
  private static final Set<Class<?>> NEED_EVERY_COMMAND = Set.of(CompletionCommand.class,
      CommandLine.HelpCommand.class);

  private ShoalCli() {}

  public static void main(String[] args) {
    if (printedVersion(args, System.out)) {
      System.exit(ExitCodes.OK);
    }
    System.exit(commandLine(args).execute(args));
  }

  /**
   * Prints the version if that is all {@code args} ask for: the same lines as picocli's {@code --version}, without
   * building its model of every command and option first, which took 0.55 s of CPU against 0.10 s for this alone
   * (JDK 25, the launcher's flags, {@code /usr/bin/time}).
   */
  static boolean printedVersion(String[] args, PrintStream out) {
    if (args.length != 1 || !(args[0].equals("--version") || args[0].equals("-V"))) {
      return false;
    }
    for (String line : new VersionProvider().getVersion()) {
      out.println(line);
    }
    out.flush();
    return true;
  }

  /** The configured command line with every subcommand, for tests that run it in-process. */
  public static CommandLine commandLine() {
    return commandLine(cli -> SUBCOMMANDS.forEach(
        command -> cli.addSubcommand(subcommand(command, UnaryOperator.identity()))));
  }

  /**
   * The command line {@code args} need: when their first word names a subcommand, the root with that one alone,
   * and when their second names one of its own subcommands (its methods: {@code app list}), with that one alone.
   * Picocli builds its model of a command (options, parameters, their types) by reflection when the command is
   * added: building every subcommand cost {@code shoal app list} more than its RPC, and building the four
   * subcommands of {@code app} that {@code app list} does not run cost about 110 ms of CPU of the 410 ms that was
   * left. Cut down so, a command line parses, runs and explains the command it names exactly as the whole tree
   * does. {@code shoal --help} (and {@code shoal} alone, whose usage error points to it), whose page gives each
   * subcommand's name and description and nothing else of it, gets {@link #summary summaries} of them: 290 ms of
   * CPU for the whole launch instead of 400 (JDK 25, the launcher's flags and archive, medians of 10, load 2.5).
   */
  static CommandLine commandLine(String[] args) {
    if (args.length == 0 || (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")))) {
      return commandLine(ShoalCli::addSummaries);
    }
    for (Class<?> command : SUBCOMMANDS) {
      if (!NEED_EVERY_COMMAND.contains(command) && command.getAnnotation(Command.class).name().equals(args[0])) {
        return commandLine(cli -> cli.addSubcommand(
            subcommand(command, methods -> named(methods, args.length > 1 ? args[1] : null))));
      }
    }
    return commandLine();
  }

  /**
   * Adds every subcommand as {@link #summary} models it, for the root's page alone. They inherit nothing from the
   * root: what it would give them (its help options, built by reflection for each, and its version, which calls the
   * version provider for each) shows on their own pages only, and giving it took 40% of the main thread's samples
   * of {@code shoal --help} (JFR, 1 ms period, 10 launches: 529 with it, 304 without). The root stays local, as
   * setting it back to inherit would give it.
   */
  private static void addSummaries(CommandLine root) {
    root.getCommandSpec().scopeType(ScopeType.LOCAL);
    SUBCOMMANDS.forEach(command -> root.addSubcommand(summary(command)));
  }

  /**
   * {@code command} as the root's page lists it, and no more: its name, aliases, header and description, which
   * picocli reads from its {@code @Command} annotation as it would for the whole command. Its options, parameters
   * and method subcommands are left out, so none of its fields and methods is scanned, nor the types they name
   * (protocol messages, gRPC's classes) loaded.
   */
  private static CommandLine summary(Class<?> command) {
    CommandSpec spec = CommandSpec.create();
    spec.updateCommandAttributes(command.getAnnotation(Command.class), null);
    return new CommandLine(spec);
  }

  /** The method subcommand that {@code word} names, alone, or all of them when it names none. */
  private static List<Method> named(List<Method> methods, String word) {
    List<Method> named = methods.stream().filter(m -> commandName(m).equals(word)).toList();
    return named.isEmpty() ? methods : named;
  }

  /** @param addSubcommands adds the subcommands, whole, cut down to the method subcommands needed, or summaries */
  private static CommandLine commandLine(Consumer<CommandLine> addSubcommands) {
    CommandLine cli = new CommandLine(new ShoalCli());
    addSubcommands.accept(cli);
    cli.setExecutionExceptionHandler((e, command, parseResult) -> {
      command.getErr().println("shoal: " + ExitCodes.message(e));
      if (debug()) {
        e.printStackTrace(command.getErr());
      }
      command.getErr().flush();
      return ExitCodes.of(e);
    });
    cli.setParameterExceptionHandler(ShoalCli::usageError);
    // Everything after the job's source file belongs to the job, options included, as with `java Job.java ARGS`.
    // Every other command takes its options anywhere on the line (`shoal deploy Job.java --json`).
    if (cli.getSubcommands().containsKey("run")) {
      cli.getSubcommands().get("run").setStopAtPositional(true);
    }
    cli.setUsageHelpWidth(HELP_WIDTH);
    cli.getSubcommands().values().forEach(ShoalCli::pointToTheRootsFooter);
    return cli;
  }

  /**
   * {@code command} with the method subcommands that {@code methods} picks, from all of them in picocli's order.
   * The commands whose methods are subcommands say {@code addMethodSubcommands = false}, so that they are added
   * here, in the order picocli would add them.
   */
  private static CommandLine subcommand(Class<?> command, UnaryOperator<List<Method>> methods) {
    CommandLine line = new CommandLine(command);
    if (command.getAnnotation(Command.class).addMethodSubcommands()) {
      return line; // picocli has added them all
    }
    for (Method method : methods.apply(CommandLine.getCommandMethods(command, null))) {
      line.addSubcommand(new CommandLine(method));
    }
    return line;
  }

  private static String commandName(Method method) {
    String name = method.getAnnotation(Command.class).name();
    return name.equals(CommandSpec.DEFAULT_COMMAND_NAME) ? method.getName() : name;
  }

  /**
   * Leaves the exit codes and the configuration notes to {@code shoal --help}: the subcommands inherit them with
   * the help options, and a page that repeats them under every subcommand buries what that command says.
   */
  private static void pointToTheRootsFooter(CommandLine command) {
    CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
    usage.exitCodeListHeading("");
    usage.exitCodeList(java.util.Map.of());
    if (java.util.Arrays.equals(usage.footer(), ROOT_FOOTER)) {
      usage.footer(SUBCOMMAND_FOOTER);
    }
    command.getSubcommands().values().forEach(ShoalCli::pointToTheRootsFooter);
  }

  /**
   * A usage error: the message and where to read more, without the whole usage text, which would push the
   * message off the screen.
   */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("shoal: " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("See `" + command.getCommandSpec().qualifiedName() + " --help`.");
    err.flush();
    return ExitCodes.USAGE;
  }

  static boolean debug() {
    String value = System.getenv("SHOAL_DEBUG");
    return value != null && !value.isBlank() && !value.equals("0");
  }
}
