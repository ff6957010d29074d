package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.AppRun;
import dev.shoal.InvalidOptionException;
import dev.shoal.NotFoundException;
import dev.shoal.Secret;
import dev.shoal.ShoalException;
import dev.shoal.it.apps.ScopeProbeApp;
import dev.shoal.it.apps.SecretApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Named secrets on the embedded engine, through the public API: a function's process containers get them as
 * environment variables; nothing of a value is left readable on disk; a missing secret stops the app from starting;
 * a container's credential cannot reach them.
 */
class SecretsTest {
  private static final Path DIR = Path.of(System.getProperty("shoal.secretsDir"));

  @Test
  void aFunctionsContainersGetItsSecretsAsEnvironmentVariables() {
    Secret.create(SecretApp.NAMED, Map.of("API_KEY", "named-value-7f3a", "ONLY_NAMED", "yes"), true);

    try (AppRun run = SecretApp.app.run()) {
      // A named secret's key wins over a map's, which wins over env.
      assertThat(SecretApp.env.remote("API_KEY")).isEqualTo("named-value-7f3a");
      assertThat(SecretApp.env.remote("MODE")).isEqualTo("from-map");
      assertThat(SecretApp.env.remote("PLAIN")).isEqualTo("from-env");
      assertThat(SecretApp.env.remote("ONLY_NAMED")).isEqualTo("yes");
    }
  }

  @Test
  void aSecretIsKeptSealedInAFileOnlyItsOwnerReads() throws Exception {
    Secret.create("it-secret-on-disk", Map.of("TOKEN", "plain-text-value-91c2"), true);

    Path file = DIR.resolve("it-secret-on-disk.secret");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(DIR.resolve(".key"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(DIR))).isEqualTo("rwx------");
    String onDisk = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    assertThat(onDisk).contains("TOKEN").doesNotContain("plain-text-value-91c2");
  }

  @Test
  void creatingASecretThatExistsFailsUnlessItIsReplaced() {
    Secret.create("it-secret-twice", Map.of("A", "1"), true);

    assertThatThrownBy(() -> Secret.create("it-secret-twice", Map.of("A", "2")))
        .isInstanceOf(ShoalException.class)
        .hasMessageContaining("secret 'it-secret-twice' already exists")
        .hasMessageContaining("--force")
        .hasMessageNotContaining("2");
    assertThat(Secret.delete("it-secret-twice")).isTrue();
    assertThat(Secret.delete("it-secret-twice")).isFalse();
  }

  @Test
  void badNamesAndKeysAreRefusedNamingTheProblem() {
    assertThatThrownBy(() -> Secret.fromName("../etc"))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("a secret name is 1..63");
    assertThatThrownBy(() -> Secret.fromMap(Map.of("NOT-A-NAME", "v")))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("'NOT-A-NAME'");
  }

  @Test
  void anAppThatNamesAMissingSecretDoesNotStartAndSaysHowToCreateIt() {
    assertThatThrownBy(() -> SecretApp.missing.run().close())
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("secret 'it-secret-never-made'")
        .hasMessageContaining("needsMissing")
        .hasMessageContaining("shoal secret create it-secret-never-made");
  }

  @Test
  void aContainerCannotListSecrets() {
    Secret.create("it-secret-scope", Map.of("K", "v"), true);
    try (AppRun probe = ScopeProbeApp.app.run()) {
      assertThat(ScopeProbeApp.probe.remote("listSecrets all"))
          .startsWith("PERMISSION_DENIED: a container's credential may not call")
          .contains("SecretService/ListSecrets");
    }
  }
}
