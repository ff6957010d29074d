package dev.shoal.internal.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code shoal run Job.java [args…]} and {@code shoal run --class C [--classpath CP] [args…]}. */
@Command(name = "run",
    description = {
        "Run a job's main method in a JVM of its own.",
        "A source file is compiled against Shoal first; its first top-level class is run.",
        "Everything after the source file (or after --class C) is passed to the job.",
        "Exits with the job's exit code."},
    footer = {"", "Examples:", "  shoal run Squares.java 10", "  shoal run --class com.acme.Etl --classpath target/classes --"
        + " --input data/"})
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--class", paramLabel = "CLASS", description = "a compiled class with a main method")
  String className;

  @Option(names = {"--classpath", "-cp"}, paramLabel = "CP",
      description = "where the job's classes are, separated by the path separator ('${sys:path.separator}')")
  String classpath;

  @Option(names = "--detach", description = {
      "keep the job's apps running if this command is interrupted or loses its connection",
      "(sets SHOAL_DETACH=1 and -Dshoal.detach=true in the job's JVM)"})
  boolean detach;

  @Option(names = "--output", description = {
      "show what the job's containers print, and their lifecycle, on stderr; a progress bar for long maps",
      "(sets SHOAL_OUTPUT=1 and -Dshoal.output=true in the job's JVM)"})
  boolean output;

  @Parameters(paramLabel = "Job.java|ARGS", arity = "0..*", description = "the source file, then the job's arguments")
  List<String> positionals = new ArrayList<>();

  @Override
  public Integer call() {
    try (UserCode code = UserCode.resolve(spec.commandLine(), className, classpath, positionals)) {
      // The SDK reads either; the variable also reaches JVMs the job starts itself.
      Map<String, String> environment = new java.util.HashMap<>();
      Map<String, String> properties = new java.util.HashMap<>();
      if (detach) {
        environment.put("SHOAL_DETACH", "1");
        properties.put("shoal.detach", "true");
      }
      if (output) {
        environment.put("SHOAL_OUTPUT", "1");
        properties.put("shoal.output", "true");
      }
      return ChildJvm.run(code.childClasspath(), code.className(), positionals, environment, properties);
    }
  }
}
