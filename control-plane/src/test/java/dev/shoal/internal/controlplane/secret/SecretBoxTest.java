package dev.shoal.internal.controlplane.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.controlplane.CoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
  @TempDir
  Path dir;

  @Test
  void whatIsSealedOpensUnderItsNameWithItsKey() {
    SecretBox box = SecretBox.ephemeral();
    Map<String, String> values = Map.of("A", "1", "LONG", "x".repeat(70_000), "UNICODE", "é€😀");

    byte[] sealed = box.seal("creds", values);

    assertThat(box.open("creds", sealed)).isEqualTo(values);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("é€", "xxxxxxxx");
    assertThat(box.seal("creds", values)).as("a fresh nonce each time").isNotEqualTo(sealed);
  }

  @Test
  void sealedValuesDoNotOpenUnderAnotherNameAnotherKeyOrAltered() {
    SecretBox box = SecretBox.ephemeral();
    byte[] sealed = box.seal("creds", Map.of("A", "1"));
    byte[] altered = sealed.clone();
    altered[altered.length - 1] ^= 1;

    for (Runnable open : new Runnable[] {
        () -> box.open("other", sealed),
        () -> SecretBox.ephemeral().open("creds", sealed),
        () -> box.open("creds", altered),
        () -> box.open("creds", new byte[3])}) {
      assertThatThrownBy(open::run).isInstanceOf(CoreException.class)
          .satisfies(e -> assertThat(((CoreException) e).kind()).isEqualTo(CoreException.Kind.DATA_LOSS));
    }
  }

  @Test
  void aKeyFileIsMadeForItsOwnerAloneAndReadAgain() throws Exception {
    Path file = dir.resolve("keys/secret.key");
    byte[] sealed = SecretBox.fromKeyFile(file).seal("creds", Map.of("A", "1"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(SecretBox.fromKeyFile(file).open("creds", sealed)).containsEntry("A", "1");
    assertThat(SecretBox.lazilyFromKeyFile(file).open("creds", sealed)).containsEntry("A", "1");
    try (var leftovers = Files.list(file.getParent())) {
      assertThat(leftovers).containsExactly(file);
    }
  }

  @Test
  void aLazyBoxTouchesNoFileUntilUsed() {
    Path file = dir.resolve("never/secret.key");
    SecretBox.lazilyFromKeyFile(file);
    assertThat(file).doesNotExist();
  }

  @Test
  void aKeyFileThatAnyoneMayReadOrThatHoldsNoKeyIsRefused() throws Exception {
    Path open = dir.resolve("open.key");
    SecretBox.fromKeyFile(open);
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> SecretBox.fromKeyFile(open))
        .hasMessageContaining("may be read by anyone").hasMessageContaining("chmod 600 " + open);

    Path group = dir.resolve("group.key");
    SecretBox.fromKeyFile(group);
    Files.setPosixFilePermissions(group, PosixFilePermissions.fromString("r--r-----"));
    SecretBox.fromKeyFile(group);

    Path junk = dir.resolve("junk.key");
    Files.writeString(junk, "not a key\n");
    Files.setPosixFilePermissions(junk, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> SecretBox.fromKeyFile(junk)).hasMessageContaining("does not hold a key");
  }
}
