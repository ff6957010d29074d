package dev.shoal.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code shoal secret} against a {@code shoal server} with its PostgreSQL: every command in a JVM of its own; no
 * value is ever printed, and none reaches the database's files in the clear.
 */
class SecretCliTest {
  private static final String VALUE = "sk-live-4f0c9a2e71d3";

  @TempDir
  static Path temp;

  private static CliServer server;
  private static Cli cli;

  @BeforeAll
  static void startServer() throws Exception {
    server = CliServer.start(temp);
    cli = server.client();
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void secretsAreCreatedListedReplacedAndDeletedWithoutAValueEverShown() throws Exception {
    Cli.Result created = cli.run("secret", "create", "openai", "OPENAI_API_KEY=" + VALUE, "ORG=acme").assertExit(0);
    assertThat(created.out()).contains("Created secret openai with keys OPENAI_API_KEY, ORG");

    Cli.Result again = cli.run("secret", "create", "openai", "OPENAI_API_KEY=other").assertExit(1);
    assertThat(again.err()).contains("secret 'openai' already exists", "--force").doesNotContain("other");

    Path dotenv = Files.writeString(temp.resolve("creds.env"),
        "# from the vault\nexport AWS_ACCESS_KEY_ID=AKIA123\nAWS_SECRET_ACCESS_KEY=\"quoted " + VALUE + "\"\n\n");
    cli.run("secret", "create", "s3-creds", "--from-dotenv", dotenv.toString()).assertExit(0);
    assertThat(cli.run("secret", "create", "openai", "--force", "OPENAI_API_KEY=new-" + VALUE).assertExit(0).out())
        .contains("Replaced secret openai with keys OPENAI_API_KEY");

    String table = cli.run("secret", "list").assertExit(0).out();
    assertThat(table).contains("openai", "OPENAI_API_KEY", "s3-creds", "AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY")
        .doesNotContain(VALUE, "AKIA123", "acme");
    String json = cli.run("secret", "list", "--json").assertExit(0).out();
    assertThat(json).contains("{\"name\":\"openai\",\"keys\":[\"OPENAI_API_KEY\"],\"createdAt\":")
        .doesNotContain(VALUE, "AKIA123");

    cli.run("secret", "delete", "s3-creds").assertExit(0);
    assertThat(cli.run("secret", "delete", "s3-creds").assertExit(3).err()).contains("no secret named 's3-creds'");
    assertThat(cli.run("secret", "list", "--json").assertExit(0).out()).doesNotContain("s3-creds");
  }

  @Test
  void badInputIsAUsageErrorThatRepeatsNoValue() throws Exception {
    assertThat(cli.run("secret", "create", "x", "no-equals-" + VALUE).assertExit(2).err())
        .contains("expected KEY=VALUE").doesNotContain(VALUE);
    assertThat(cli.run("secret", "create", "x").assertExit(2).err()).contains("at least one KEY=VALUE");
    assertThat(cli.run("secret", "create", "bad/name", "A=1").assertExit(2).err()).contains("a secret name is 1..63");
    assertThat(cli.run("secret", "create", "x", "1BAD=" + VALUE).assertExit(2).err())
        .contains("'1BAD'").doesNotContain(VALUE);
  }

  @Test
  void theDatabaseHoldsKeysButNoValueInTheClearAndTheKeyFileIsTheServersAlone() throws Exception {
    cli.run("secret", "create", "db-check", "DB_CHECK_KEY=" + VALUE + "-db", "--force").assertExit(0);

    Path key = server.dataDir().resolve("secret.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    // Every file of the database, its write-ahead log included: the key's name is there, the value is not.
    assertThat(anyFileHolds(server.dataDir().resolve("postgres"), "DB_CHECK_KEY")).isTrue();
    assertThat(anyFileHolds(server.dataDir().resolve("postgres"), VALUE + "-db")).isFalse();
  }

  private static boolean anyFileHolds(Path dir, String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(f);
        } catch (IOException e) {
          continue; // a file PostgreSQL removed while the walk went on
        }
        if (indexOf(bytes, needle) >= 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
