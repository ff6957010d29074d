package dev.shoal.internal.cli;

import dev.shoal.internal.client.ShoalConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code shoal profile current|list|activate|add}: the profiles in the client configuration file. */
@Command(name = "profile", addMethodSubcommands = false, // ShoalCli adds them, the needed ones only
    description = "Show, list, add and activate connection profiles.")
final class ProfileCommand {
  @Spec
  CommandSpec spec;

  @Command(name = "current", description = "Show the active profile and where each of its values comes from.")
  int current(@Option(names = "--json", description = "print JSON") boolean json) {
    ShoalConfig config = ShoalConfig.load();
    String profile = config.activeProfile();
    Optional<String> server = config.server();
    Map<String, Object> overrides = new LinkedHashMap<>();
    ConfigSource.override("shoal.profile", "SHOAL_PROFILE").ifPresent(s -> overrides.put("profile", s));
    ConfigSource.override("shoal.server", "SHOAL_SERVER").ifPresent(s -> overrides.put("server", s));
    ConfigSource.override("shoal.token", "SHOAL_TOKEN")
        .or(() -> ConfigSource.override("shoal.tokenFile", "SHOAL_TOKEN_FILE"))
        .ifPresent(s -> overrides.put("token", s));
    ConfigSource.override("shoal.tls.ca", "SHOAL_TLS_CA").ifPresent(s -> overrides.put("tls", s));
    dev.shoal.internal.client.ServerTrust trust = config.serverTrust();
    String tls = trust.caPem().map(p -> "trusts SHOAL_TLS_CA_PEM").or(() -> trust.caFile().map(f -> "trusts " + f))
        .orElse(server.filter(a -> a.startsWith("https://")).isPresent() ? "the JDK's default trust" : "off");
    ConfigSource.override("shoal.environment", "SHOAL_ENVIRONMENT").ifPresent(s -> overrides.put("environment", s));
    boolean inFile = config.profiles().containsKey(profile);
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("profile", profile);
      out.put("profileInFile", inFile);
      out.put("engine", server.isPresent() ? "server" : "embedded");
      out.put("server", server.orElse(null));
      out.put("tokenSet", config.token().isPresent());
      out.put("environment", config.environment());
      out.put("tls", tls);
      out.put("configFile", config.file().toString());
      out.put("overrides", overrides);
      System.out.println(Json.write(out));
      return ExitCodes.OK;
    }
    Table table = new Table("", "", ""); // settings, not a grid: no header
    table.row("profile", profile + (inFile || profile.equals(ShoalConfig.DEFAULT_PROFILE) ? "" : " (not in the file)"),
        from(overrides, "profile"));
    table.row("server", server.orElse("embedded engine"), from(overrides, "server"));
    table.row("token", config.token().isPresent() ? "set" : "not set", from(overrides, "token"));
    table.row("environment", config.environment(), from(overrides, "environment"));
    table.row("tls", tls, from(overrides, "tls"));
    table.row("config", config.file(), "");
    table.print(System.out);
    return ExitCodes.OK;
  }

  private static String from(Map<String, Object> overrides, String key) {
    Object source = overrides.get(key);
    return source == null ? "" : "(from " + source + ")";
  }

  @Command(name = "list", description = "List the profiles in the configuration file; * marks the active one.")
  int list(@Option(names = "--json", description = "print JSON") boolean json) {
    ShoalConfig config = ShoalConfig.load();
    String active = config.activeProfile();
    if (json) {
      List<Map<String, Object>> out = new ArrayList<>();
      config.profiles().forEach((name, values) -> {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("active", name.equals(active));
        p.put("server", values.get("server"));
        p.put("environment", values.getOrDefault("environment", "main"));
        p.put("tokenSet", values.containsKey("token") || values.containsKey("token_file"));
        out.add(p);
      });
      System.out.println(Json.write(out));
      return ExitCodes.OK;
    }
    if (config.profiles().isEmpty()) {
      System.out.println("No profiles in " + config.file() + ": jobs use the embedded engine. Add a server with"
          + " `shoal profile add NAME --server HOST:PORT --token TOKEN --activate`.");
      return ExitCodes.OK;
    }
    Table table = new Table("", "NAME", "SERVER", "ENVIRONMENT", "TOKEN");
    config.profiles().forEach((name, values) -> table.row(name.equals(active) ? "*" : "", name,
        values.getOrDefault("server", "embedded engine"), values.getOrDefault("environment", "main"),
        values.containsKey("token") || values.containsKey("token_file") ? "set" : "not set"));
    table.print(System.out);
    return ExitCodes.OK;
  }

  @Command(name = "activate", description = "Make a profile the active one.")
  int activate(@Parameters(paramLabel = "NAME", description = "the profile to use from now on") String name,
      @Option(names = "--json", description = "print JSON: {profile, active}") boolean json) {
    ShoalConfig config = ShoalConfig.load();
    if (!config.profiles().containsKey(name)) {
      throw CliException.notFound("no profile named '" + name + "' in " + config.file() + "; it has "
          + config.profiles().keySet() + ". Add it with `shoal profile add " + name
          + " --server HOST:PORT --token TOKEN`");
    }
    config.activate(name).save();
    Confirmation.print(json, "Active profile: " + name, "profile", name, "active", true);
    ConfigSource.override("shoal.profile", "SHOAL_PROFILE").ifPresent(source -> System.err.println(
        "shoal: note: " + source + " is set and overrides the active profile in this shell; unset it to use '"
            + name + "'."));
    return ExitCodes.OK;
  }

  @Command(name = "add", description = "Add a profile, or update one, with the server and token to use.")
  int add(
      @Parameters(paramLabel = "NAME", arity = "0..1", defaultValue = ShoalConfig.DEFAULT_PROFILE,
          description = "the profile's name (default: ${DEFAULT-VALUE})") String name,
      @Option(names = "--server", required = true, paramLabel = "HOST:PORT",
          description = "the server's address, as `shoal server` printed it; https://HOST:PORT for TLS")
      String server,
      @Option(names = "--token", paramLabel = "TOKEN",
          description = "the server's token (kept in its data directory)") String token,
      @Option(names = "--token-file", paramLabel = "FILE",
          description = "a file that holds the server's token, read at each use instead of a copy in the profile")
      java.nio.file.Path tokenFile,
      @Option(names = "--tls-ca", paramLabel = "FILE", description = {
          "the certificates (PEM) of the authority that signed the server's TLS certificate, when the JDK does",
          "not trust it; implies TLS"}) java.nio.file.Path tlsCa,
      @Option(names = "--tls-server-name", paramLabel = "NAME",
          description = "the name the server's TLS certificate is checked against, when it is not the host dialled")
      String tlsServerName,
      @Option(names = "--environment", paramLabel = "ENV",
          description = "where apps are deployed and looked up (default: main)") String environment,
      @Option(names = "--activate", description = "make it the active profile") boolean activate,
      @Option(names = "--json", description = "print JSON: {profile, server, file, active, token}") boolean json) {
    CommandLine add = spec.commandLine().getSubcommands().get("add");
    checkAddress(add, server);
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new ParameterException(add, "a profile name is letters, digits, '_', '.' and '-', was '"
          + name + "'");
    }
    if (token != null && tokenFile != null) {
      throw new ParameterException(add, "--token and --token-file are two ways to give the one token: give one");
    }
    Map<String, String> values = new LinkedHashMap<>();
    values.put("server", server);
    if (token != null) {
      values.put("token", token);
    }
    if (tokenFile != null) {
      values.put("token_file", tokenFile.toAbsolutePath().normalize().toString());
    }
    if (tlsCa != null) {
      if (!java.nio.file.Files.isReadable(tlsCa)) {
        throw new ParameterException(add, "--tls-ca names " + tlsCa + ", which is not a readable file");
      }
      values.put("tls_ca", tlsCa.toAbsolutePath().normalize().toString());
    }
    if (tlsServerName != null) {
      values.put("tls_server_name", tlsServerName);
    }
    if (environment != null) {
      values.put("environment", environment);
    }
    ShoalConfig config = ShoalConfig.load();
    if (token != null || tokenFile != null) {
      // One of the two: a profile that kept the other would go on using it.
      config = config.withoutProfileValue(name, token != null ? "token_file" : "token");
    }
    config = config.withProfile(name, values, activate);
    config.save();
    boolean active = config.activeProfile().equals(name);
    boolean hasToken = config.profiles().get(name).containsKey("token")
        || config.profiles().get(name).containsKey("token_file");
    Confirmation.print(json, "Saved profile '" + name + "' (server " + server + ") in " + config.file(),
        "profile", name, "server", server, "file", config.file().toString(), "active", active, "token", hasToken);
    if (json) {
      return ExitCodes.OK;
    }
    if (!active) {
      System.out.println("Use it with `shoal profile activate " + name + "`, or SHOAL_PROFILE=" + name + ".");
    }
    if (!hasToken) {
      System.out.println("It has no token: a server refuses calls without one. Add it with --token-file or --token,"
          + " or set SHOAL_TOKEN_FILE or SHOAL_TOKEN.");
    }
    return ExitCodes.OK;
  }

  private static void checkAddress(CommandLine add, String server) {
    String address = server.startsWith("https://") ? server.substring("https://".length()) : server;
    int colon = address.lastIndexOf(':');
    boolean ok = colon > 0;
    if (ok) {
      try {
        int port = Integer.parseInt(address.substring(colon + 1));
        ok = port > 0 && port < 65536;
      } catch (NumberFormatException e) {
        ok = false;
      }
    }
    if (!ok) {
      throw new ParameterException(add,
          "--server must be HOST:PORT or https://HOST:PORT, such as 127.0.0.1:7700; was '" + server + "'");
    }
  }
}
