package dev.shoal.internal.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The client's configuration: profiles in {@code ~/.shoal/config.toml} (or {@code $SHOAL_CONFIG}), each with a
 * server, a token (or a {@code token_file}), an environment and how to trust the server over TLS
 * ({@code tls_ca}, {@code tls_server_name}), and which profile is active. The variables {@code SHOAL_PROFILE},
 * {@code SHOAL_SERVER}, {@code SHOAL_TOKEN} and {@code SHOAL_ENVIRONMENT} override the file; a system property
 * of the same name in lower case with dots ({@code shoal.server}) overrides both, which is how tests and
 * embedded uses set them.
 *
 * <p>The file is a small subset of TOML, which is all it needs:
 * <pre>
 * active = "work"
 *
 * [profiles.work]
 * server = "shoal.internal:7700"
 * token = "…"
 * environment = "main"
 * </pre>
 */
public final class ShoalConfig {
  public static final String DEFAULT_PROFILE = "default";

  private final Path file;
  private final String activeInFile;
  private final Map<String, Map<String, String>> profiles;

  private ShoalConfig(Path file, String activeInFile, Map<String, Map<String, String>> profiles) {
    this.file = file;
    this.activeInFile = activeInFile;
    this.profiles = profiles;
  }

  public static Path defaultFile() {
    String override = setting("shoal.config", "SHOAL_CONFIG");
    return override != null ? Path.of(override) : Path.of(System.getProperty("user.home"), ".shoal", "config.toml");
  }

  public static ShoalConfig load() {
    return load(defaultFile());
  }

  public static ShoalConfig load(Path file) {
    Map<String, Map<String, String>> profiles = new LinkedHashMap<>();
    String active = null;
    if (Files.isRegularFile(file)) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
      Map<String, String> section = null;
      int n = 0;
      for (String raw : lines) {
        n++;
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        if (line.startsWith("[")) {
          if (!line.startsWith("[profiles.") || !line.endsWith("]")) {
            throw new IllegalArgumentException(file + ":" + n + ": expected [profiles.NAME], found " + line);
          }
          section = profiles.computeIfAbsent(line.substring(10, line.length() - 1).strip(),
              k -> new LinkedHashMap<>());
          continue;
        }
        int eq = line.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException(file + ":" + n + ": expected key = \"value\", found " + line);
        }
        String key = line.substring(0, eq).strip();
        String value = unquote(line.substring(eq + 1).strip(), file, n);
        if (section == null) {
          if (key.equals("active")) {
            active = value;
          }
        } else {
          section.put(key, value);
        }
      }
    }
    return new ShoalConfig(file, active, profiles);
  }

  private static String unquote(String value, Path file, int line) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    throw new IllegalArgumentException(file + ":" + line + ": values must be \"quoted strings\", found " + value);
  }

  private static String setting(String property, String variable) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(variable);
    }
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** The active profile's name: SHOAL_PROFILE, else the file's {@code active}, else "default". */
  public String activeProfile() {
    String fromEnv = setting("shoal.profile", "SHOAL_PROFILE");
    if (fromEnv != null) {
      return fromEnv;
    }
    return activeInFile != null ? activeInFile : DEFAULT_PROFILE;
  }

  public Map<String, Map<String, String>> profiles() {
    return profiles;
  }

  public Path file() {
    return file;
  }

  /** The server to use, if any: none means the embedded engine. */
  public Optional<String> server() {
    return Optional.ofNullable(resolve("server", "shoal.server", "SHOAL_SERVER"));
  }

  /**
   * The token: {@code SHOAL_TOKEN}, else the file {@code SHOAL_TOKEN_FILE} names (which keeps it out of the
   * environment and of shell history), else the profile's {@code token}, else the file its {@code token_file}
   * names.
   */
  public Optional<String> token() {
    String token = setting("shoal.token", "SHOAL_TOKEN");
    if (token != null) {
      return Optional.of(token);
    }
    String file = setting("shoal.tokenFile", "SHOAL_TOKEN_FILE");
    if (file != null) {
      return Optional.of(readToken(Path.of(file), "SHOAL_TOKEN_FILE"));
    }
    Map<String, String> profile = profiles.getOrDefault(activeProfile(), Map.of());
    if (profile.containsKey("token")) {
      return Optional.of(profile.get("token"));
    }
    return Optional.ofNullable(profile.get("token_file"))
        .map(f -> readToken(Path.of(f), "the token_file of profile '" + activeProfile() + "' in " + this.file));
  }

  private static String readToken(Path file, String source) {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(source + " names " + file + ", which cannot be read", e);
    }
    if (token.isEmpty()) {
      throw new IllegalArgumentException(source + " names " + file + ", which is empty");
    }
    return token;
  }

  /**
   * How to trust the server over TLS: {@link ServerTrust}'s variables, else the profile's {@code tls_ca} and
   * {@code tls_server_name}.
   */
  public ServerTrust serverTrust() {
    return new ServerTrust(
        Optional.ofNullable(resolve("tls_ca", "shoal.tls.ca", ServerTrust.CA_VARIABLE)).map(Path::of),
        ServerTrust.setting("shoal.tls.caPem", ServerTrust.CA_PEM_VARIABLE),
        Optional.ofNullable(resolve("tls_server_name", "shoal.tls.serverName", ServerTrust.SERVER_NAME_VARIABLE)));
  }

  public String environment() {
    String env = resolve("environment", "shoal.environment", "SHOAL_ENVIRONMENT");
    return env == null ? "main" : env;
  }

  private String resolve(String key, String property, String variable) {
    String value = setting(property, variable);
    if (value != null) {
      return value;
    }
    Map<String, String> profile = profiles.get(activeProfile());
    return profile == null ? null : profile.get(key);
  }

  /** Writes a profile (merging with what it had) and, if asked, makes it the active one. */
  public ShoalConfig withProfile(String name, Map<String, String> values, boolean activate) {
    Map<String, Map<String, String>> next = new LinkedHashMap<>();
    profiles.forEach((k, v) -> next.put(k, new LinkedHashMap<>(v)));
    next.computeIfAbsent(name, k -> new LinkedHashMap<>()).putAll(values);
    return new ShoalConfig(file, activate ? name : activeInFile, next);
  }

  /** The same configuration without {@code key} in profile {@code name}. */
  public ShoalConfig withoutProfileValue(String name, String key) {
    Map<String, Map<String, String>> next = new LinkedHashMap<>();
    profiles.forEach((k, v) -> next.put(k, new LinkedHashMap<>(v)));
    if (next.containsKey(name)) {
      next.get(name).remove(key);
    }
    return new ShoalConfig(file, activeInFile, next);
  }

  public ShoalConfig activate(String name) {
    if (!profiles.containsKey(name)) {
      throw new IllegalArgumentException("no profile named '" + name + "' in " + file + "; it has "
          + profiles.keySet());
    }
    return new ShoalConfig(file, name, profiles);
  }

  public void save() {
    StringBuilder out = new StringBuilder("# Shoal client configuration\n");
    if (activeInFile != null) {
      out.append("active = ").append(quote(activeInFile)).append('\n');
    }
    profiles.forEach((name, values) -> {
      out.append("\n[profiles.").append(name).append("]\n");
      values.forEach((k, v) -> out.append(k).append(" = ").append(quote(v)).append('\n'));
    });
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "config", ".toml");
      Files.writeString(temp, out.toString(), StandardCharsets.UTF_8);
      Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
