package dev.shoal.internal.controlplane.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.controlplane.CoreException;
import dev.shoal.internal.store.StoredSecret;
import dev.shoal.internal.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** {@link Secrets} on both shelves: a state store's and a directory's. */
class SecretsTest {
  @TempDir
  Path dir;

  private Secrets secrets(String shelf) {
    SecretShelf chosen = shelf.equals("store") ? SecretShelf.of(new MemoryStore())
        : new SecretDirectory(dir.resolve("secrets"));
    return new Secrets(chosen, SecretBox.ephemeral(), Clock.systemUTC());
  }

  @ParameterizedTest
  @ValueSource(strings = {"store", "directory"})
  void aSecretIsListedByItsKeysAndOpenedOnlyForAnEnvironment(String shelf) {
    Secrets secrets = secrets(shelf);
    assertThat(secrets.put("b", Map.of("Z", "1", "A", "2"), false)).isFalse();
    secrets.put("a", Map.of("A", "3"), false);

    assertThat(secrets.list()).extracting(StoredSecret::name).containsExactly("a", "b");
    assertThat(secrets.list().get(1).keys()).containsExactly("A", "Z");
    assertThat(secrets.environment(List.of("b", "a"), "f")).isEqualTo(Map.of("A", "3", "Z", "1"));
    assertThat(secrets.environment(List.of("a", "b"), "f")).isEqualTo(Map.of("A", "2", "Z", "1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"store", "directory"})
  void aTakenNameIsReplacedOnlyWhenAskedAndKeepsItsCreation(String shelf) {
    Secrets secrets = secrets(shelf);
    secrets.put("creds", Map.of("A", "1"), false);
    var created = secrets.list().getFirst().createdAt();

    assertThatThrownBy(() -> secrets.put("creds", Map.of("A", "2"), false))
        .isInstanceOf(CoreException.class).hasMessageContaining("already exists");
    assertThat(secrets.put("creds", Map.of("B", "2"), true)).isTrue();

    assertThat(secrets.environment(List.of("creds"), "f")).isEqualTo(Map.of("B", "2"));
    assertThat(secrets.list().getFirst().createdAt()).isEqualTo(created);
    assertThat(secrets.delete("creds")).isTrue();
    assertThat(secrets.delete("creds")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"store", "directory"})
  void aMissingSecretIsNamedWithHowToCreateIt(String shelf) {
    Secrets secrets = secrets(shelf);
    for (Runnable use : new Runnable[] {
        () -> secrets.requireAll(List.of("nope"), "embed"), () -> secrets.environment(List.of("nope"), "embed")}) {
      assertThatThrownBy(use::run).isInstanceOf(CoreException.class)
          .hasMessage("secret 'nope', named by function 'embed', does not exist; create it with"
              + " `shoal secret create nope KEY=VALUE…` or Secret.create(\"nope\", Map.of(…))");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"store", "directory"})
  void badNamesKeysAndSizesAreRefusedWithoutRepeatingAValue(String shelf) {
    Secrets secrets = secrets(shelf);
    assertThatThrownBy(() -> secrets.put("../x", Map.of("A", "1"), false)).hasMessageContaining("a secret name");
    assertThatThrownBy(() -> secrets.put("s", Map.of(), false)).hasMessageContaining("has no keys");
    assertThatThrownBy(() -> secrets.put("s", Map.of("1BAD", "hunter2"), false))
        .hasMessageContaining("'1BAD'").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> secrets.put("s", Map.of("A", "x".repeat(70_000)), false))
        .hasMessageContaining("at most 65536");
    assertThat(secrets.list()).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void aDirectoryKeepsEachSecretInAFileOnlyItsOwnerReadsWithNoValueInTheClear() throws Exception {
    Secrets secrets = secrets("directory");
    secrets.put("creds", Map.of("TOKEN", "value-in-the-clear"), false);

    Path file = dir.resolve("secrets/creds.secret");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
        .contains("TOKEN").doesNotContain("value-in-the-clear");
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }
}
