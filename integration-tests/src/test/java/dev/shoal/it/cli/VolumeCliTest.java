package dev.shoal.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code shoal volume} end to end against a {@code shoal server}, every command in a JVM of its own: the
 * VolumeResults example fans out over 1,000 inputs with spawnMap, each task writing its result to a volume, and
 * after the example has exited the CLI lists and downloads every result.
 */
class VolumeCliTest {
  private static final int INPUTS = 1_000;

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
  void spawnMapWritesEveryResultToAVolumeThatTheCliReadsAfterTheCallerExits() throws Exception {
    Path examples = Path.of(Class.forName("dev.shoal.examples.VolumeResults").getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    Cli.Result run = cli.run("run", "--class", "dev.shoal.examples.VolumeResults", "--classpath",
        examples.toString(), Integer.toString(INPUTS)).assertExit(0);
    assertThat(run.out()).contains(INPUTS + " succeeded, 0 failed");

    String listing = cli.run("volume", "ls", "results", "results", "--json").assertExit(0).out();
    for (int i = 0; i < INPUTS; i++) {
      assertThat(listing).contains("{\"path\":\"results/" + i + ".json\",\"type\":\"file\"");
    }
    assertThat(cli.run("volume", "ls", "results").assertExit(0).out())
        .containsPattern("results/\\s+dir\\s+");
    assertThat(cli.run("volume", "get", "results", "results/42.json", "-").assertExit(0).out())
        .isEqualTo("{\"input\": 42, \"score\": " + 42L * 42 % 997 + "}\n");
    Path downloaded = temp.resolve("downloaded");
    cli.run("volume", "get", "results", "results", downloaded.toString()).assertExit(0);
    try (Stream<Path> files = Files.list(downloaded)) {
      assertThat(files.count()).isEqualTo(INPUTS);
    }
    Cli.Result list = cli.run("volume", "list", "--json").assertExit(0);
    assertThat(list.out()).contains("{\"name\":\"results\",\"files\":" + INPUTS + ",");
    assertThat(list.err()).as("a command that succeeds prints no warnings").isEmpty();
  }

  @Test
  void createPutGetRemoveAndDelete() throws Exception {
    assertThat(cli.run("volume", "create", "scratch", "--json").assertExit(0).out().strip())
        .isEqualTo("{\"volume\":\"scratch\",\"created\":true}");
    assertThat(cli.run("volume", "create", "scratch").assertExit(1).err()).contains("already exists");
    Path local = Files.writeString(temp.resolve("notes.txt"), "remember the milk");
    Path dir = Files.createDirectories(temp.resolve("tree").resolve("sub"));
    Files.writeString(dir.resolve("a.txt"), "a");
    Files.writeString(dir.getParent().resolve("b.txt"), "b");

    assertThat(cli.run("volume", "put", "--json", "scratch", local.toString(), "docs/").assertExit(0).out().strip())
        .matches("\\{\"volume\":\"scratch\",\"files\":1,\"bytes\":17,\"version\":\\d+}");
    cli.run("volume", "put", "scratch", dir.getParent().toString(), "tree").assertExit(0);
    assertThat(cli.run("volume", "get", "scratch", "docs/notes.txt", "-").assertExit(0).out())
        .isEqualTo("remember the milk");
    assertThat(cli.run("volume", "ls", "scratch", "tree", "--json").assertExit(0).out())
        .contains("\"path\":\"tree/b.txt\"", "\"path\":\"tree/sub\",\"type\":\"directory\"");
    assertThat(cli.run("volume", "ls", "scratch").assertExit(0).out()).contains("docs/", "tree/");

    assertThat(cli.run("volume", "rm", "scratch", "tree").assertExit(1).err()).contains("-r");
    cli.run("volume", "rm", "scratch", "tree", "-r").assertExit(0);
    assertThat(cli.run("volume", "rm", "scratch", "docs/notes.txt", "--json").assertExit(0).out().strip())
        .isEqualTo("{\"volume\":\"scratch\",\"path\":\"docs/notes.txt\",\"removed\":true}");
    assertThat(cli.run("volume", "get", "scratch", "docs/notes.txt", "-").assertExit(3).err())
        .contains("no file or directory 'docs/notes.txt'");

    assertThat(cli.run("volume", "get", "scratch", "../outside", "-").assertExit(2).err())
        .contains("contains '..'");
    assertThat(cli.run("volume", "create", "bad/name").assertExit(2).err()).contains("a volume name is 1..63");

    assertThat(cli.run("volume", "delete", "scratch").assertExit(1).err()).contains("--yes");
    assertThat(cli.run("volume", "delete", "scratch", "--yes", "--json").assertExit(0).out().strip())
        .isEqualTo("{\"volume\":\"scratch\",\"deleted\":true}");
    assertThat(cli.run("volume", "ls", "scratch").assertExit(3).err()).contains("no volume named 'scratch'");
  }

  @Test
  void putNeverFollowsASymbolicLinkOutOfTheDirectoryAndNamesEachOneItSkips() throws Exception {
    Path secrets = Files.createDirectories(temp.resolve("secrets"));
    Path key = Files.writeString(secrets.resolve("id_rsa"), "PRIVATE KEY");
    Path dir = Files.createDirectories(temp.resolve("linked").resolve("sub"));
    Path tree = dir.getParent();
    Files.writeString(tree.resolve("a.txt"), "a");
    Files.writeString(dir.resolve("b.txt"), "b");
    Files.createSymbolicLink(tree.resolve("passwd"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(dir.resolve("key"), key);
    Files.createSymbolicLink(tree.resolve("ssh"), secrets);
    Files.createSymbolicLink(tree.resolve("copy-of-a.txt"), Path.of("a.txt"));

    cli.run("volume", "create", "linked").assertExit(0);
    Cli.Result put = cli.run("volume", "put", "linked", tree.toString(), "up").assertExit(0);
    assertThat(put.out()).contains("Put 3 files");
    assertThat(put.err().lines().toList()).containsExactly(
        "shoal: skipped symbolic link passwd -> /etc/passwd: it leads out of " + tree
            + ", and only what is in it is copied",
        "shoal: skipped symbolic link ssh -> " + secrets + ": it leads out of " + tree
            + ", and only what is in it is copied",
        "shoal: skipped symbolic link sub/key -> " + key + ": it leads out of " + tree
            + ", and only what is in it is copied");

    String listing = cli.run("volume", "ls", "linked", "up", "--json").assertExit(0).out();
    assertThat(listing).contains("\"path\":\"up/a.txt\"", "\"path\":\"up/copy-of-a.txt\"", "\"path\":\"up/sub\"")
        .doesNotContain("passwd", "ssh");
    assertThat(cli.run("volume", "ls", "linked", "up/sub", "--json").assertExit(0).out())
        .contains("\"path\":\"up/sub/b.txt\"").doesNotContain("key");
    assertThat(cli.run("volume", "get", "linked", "up/copy-of-a.txt", "-").assertExit(0).out()).isEqualTo("a");
    assertThat(cli.run("volume", "get", "linked", "up/passwd", "-").assertExit(3).err())
        .contains("no file or directory 'up/passwd'");
    cli.run("volume", "delete", "linked", "--yes").assertExit(0);
  }

}
