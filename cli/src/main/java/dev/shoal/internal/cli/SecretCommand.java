package dev.shoal.internal.cli;

import static dev.shoal.internal.cli.EngineCalls.rpc;

import dev.shoal.internal.client.Engines;
import dev.shoal.protocol.v1.DeleteSecretRequest;
import dev.shoal.protocol.v1.ListSecretsRequest;
import dev.shoal.protocol.v1.PutSecretRequest;
import dev.shoal.protocol.v1.PutSecretResponse;
import dev.shoal.protocol.v1.SecretServiceGrpc;
import dev.shoal.protocol.v1.SecretSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal secret create|list|delete}: the named secrets of the configured server, or with no server those
 * of the embedded engine on this machine (in {@code ~/.shoal/secrets}). Nothing here ever prints a value.
 */
@Command(name = "secret", addMethodSubcommands = false, // ShoalCli adds them, the needed ones only
    description = {
    "Create, list and delete secrets: named sets of environment variables that",
    "functions name in their options.",
    "With no server configured, the embedded engine's secrets on this machine",
    "(~/.shoal/secrets). Values are never printed; `list` shows names and keys."})
final class SecretCommand {
  private static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
  private static final long DEADLINE_SECONDS = 60;

  @Command(name = "create", description = {"Create a secret from KEY=VALUE pairs and/or a .env file.",
      "Values given on the command line are visible to other users of this machine in its process list while"
          + " the command runs; prefer --from-dotenv for real credentials."})
  int create(
      @Parameters(index = "0", paramLabel = "NAME", description = "1..63 letters, digits, '.', '_' or '-'")
          String name,
      @Parameters(index = "1..*", paramLabel = "KEY=VALUE", arity = "0..*",
          description = "an environment variable of the secret") List<String> pairs,
      @Option(names = "--from-dotenv", paramLabel = "FILE",
          description = "read KEY=VALUE lines from FILE (blank lines and # comments skipped)") Path dotenv,
      @Option(names = "--force", description = "replace the secret if it exists") boolean force,
      @Option(names = "--json", description = "print JSON: {secret, replaced, keys}") boolean json) {
    Map<String, String> values = new LinkedHashMap<>();
    if (dotenv != null) {
      values.putAll(DotEnv.read(dotenv));
    }
    for (String pair : pairs == null ? List.<String>of() : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        // Only what comes before '=' could be a key; the argument may hold a value, so it is not repeated.
        throw new CliException(ExitCodes.USAGE, "expected KEY=VALUE, got an argument with "
            + (eq < 0 ? "no '='" : "nothing before '='"));
      }
      values.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    if (values.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "give the secret at least one KEY=VALUE, or --from-dotenv FILE");
    }
    PutSecretResponse response = rpc(() -> stub().putSecret(PutSecretRequest.newBuilder()
        .setName(name).putAllValues(values).setOverwrite(force).build()));
    List<String> keys = values.keySet().stream().sorted().toList();
    Confirmation.print(json, (response.getReplaced() ? "Replaced secret " : "Created secret ") + name + " with keys "
        + String.join(", ", keys), "secret", name, "replaced", response.getReplaced(), "keys", keys);
    return ExitCodes.OK;
  }

  @Command(name = "list", description = "List the secrets: names, keys and dates, never values. Times are local.")
  int list(@Option(names = "--json", description = "print JSON") boolean json) {
    List<SecretSummary> secrets = rpc(() -> stub().listSecrets(ListSecretsRequest.getDefaultInstance())
        .getSecretsList());
    if (json) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (SecretSummary s : secrets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.getName());
        m.put("keys", s.getKeysList());
        m.put("createdAt", Instant.ofEpochMilli(s.getCreatedMs()).toString());
        m.put("updatedAt", Instant.ofEpochMilli(s.getUpdatedMs()).toString());
        out.add(m);
      }
      System.out.println(Json.write(out));
      return ExitCodes.OK;
    }
    if (secrets.isEmpty()) {
      System.out.println("No secrets.");
      return ExitCodes.OK;
    }
    Table table = new Table("NAME", "KEYS", "CREATED", "UPDATED");
    for (SecretSummary s : secrets) {
      table.row(s.getName(), String.join(",", s.getKeysList()),
          LOCAL_TIME.format(Instant.ofEpochMilli(s.getCreatedMs())),
          LOCAL_TIME.format(Instant.ofEpochMilli(s.getUpdatedMs())));
    }
    table.print(System.out);
    return ExitCodes.OK;
  }

  @Command(name = "delete", description = "Delete a secret; running containers keep what they were started with.")
  int delete(@Parameters(paramLabel = "NAME") String name,
      @Option(names = "--json", description = "print JSON: {secret, deleted}") boolean json) {
    boolean deleted = rpc(() -> stub().deleteSecret(DeleteSecretRequest.newBuilder().setName(name).build())
        .getDeleted());
    if (!deleted) {
      throw CliException.notFound("no secret named '" + name + "'");
    }
    Confirmation.print(json, "Deleted secret " + name, "secret", name, "deleted", true);
    return ExitCodes.OK;
  }

  private static SecretServiceGrpc.SecretServiceBlockingStub stub() {
    return SecretServiceGrpc.newBlockingStub(Engines.current().channel())
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** The KEY=VALUE lines of a .env file. */
  static final class DotEnv {
    private DotEnv() {}

    static Map<String, String> read(Path file) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        if (line.startsWith("export ")) {
          line = line.substring("export ".length()).strip();
        }
        int eq = line.indexOf('=');
        if (eq <= 0) {
          throw new CliException(ExitCodes.USAGE, file + " line " + (i + 1) + " is not KEY=VALUE");
        }
        values.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
      }
      return values;
    }

    private static String unquote(String value) {
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
          || value.startsWith("'") && value.endsWith("'"))) {
        return value.substring(1, value.length() - 1);
      }
      return value;
    }
  }
}
