package dev.shoal.internal.cli;

import dev.shoal.internal.client.ShoalConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code shoal deploy Job.java} and {@code shoal deploy --class C [--classpath CP]}: deploys every app the class
 * defines. The class is loaded in a JVM of its own ({@link DeployMain}), whose classpath, the user's classes and
 * the CLI's, is what the server's containers get.
 */
@Command(name = "deploy",
    description = {
        "Deploy every app a class defines, on the configured server.",
        "A deployed app is named and versioned, and keeps running;",
        "RemoteFunction.fromName(app, function) finds it.",
        "Deploying again makes a new version."},
    footer = {"", "Examples:", "  shoal deploy Pipeline.java",
        "  shoal deploy --class com.acme.Pipeline --classpath target/classes --json"})
final class DeployCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--class", paramLabel = "CLASS", description = "the class whose static fields define the apps")
  String className;

  @Option(names = {"--classpath", "-cp"}, paramLabel = "CP",
      description = "where the classes are, separated by the path separator ('${sys:path.separator}')")
  String classpath;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Parameters(paramLabel = "Job.java", arity = "0..1", description = "a source file defining the apps")
  List<String> positionals = new ArrayList<>();

  @Override
  public Integer call() {
    if (ShoalConfig.load().server().isEmpty()) {
      System.err.println("shoal: note: no server is configured, so this deploys on an embedded engine that ends with"
          + " this command. Add a server with `shoal profile add NAME --server HOST:PORT --token TOKEN --activate`.");
    }
    try (UserCode code = UserCode.resolve(spec.commandLine(), className, classpath, positionals)) {
      Path results = Files.createTempFile("shoal-deploy-", ".tsv");
      try {
        int exit = ChildJvm.run(code.childClasspath(), DeployMain.class.getName(),
            List.of(code.className(), results.toString()), Map.of(), Map.of());
        if (exit != ExitCodes.OK) {
          return exit; // the child said why
        }
        print(Files.readAllLines(results, StandardCharsets.UTF_8));
        return ExitCodes.OK;
      } finally {
        Files.deleteIfExists(results);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pass results between the deploying JVM and the CLI", e);
    }
  }

  private void print(List<String> lines) {
    List<Map<String, Object>> deployed = new ArrayList<>();
    for (String line : lines) {
      String[] fields = line.split("\t");
      Map<String, Object> app = new LinkedHashMap<>();
      app.put("app", fields[0]);
      app.put("version", Integer.parseInt(fields[1]));
      deployed.add(app);
    }
    if (json) {
      System.out.println(Json.write(deployed));
      return;
    }
    Table table = new Table("APP", "VERSION");
    deployed.forEach(d -> table.row(d.get("app"), d.get("version")));
    table.print(System.out);
  }
}
