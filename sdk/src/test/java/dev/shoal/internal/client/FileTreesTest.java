package dev.shoal.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Walking a user's directory never leaves it through a symbolic link, and says what it left out. */
class FileTreesTest {
  @TempDir
  Path temp;

  @Test
  void linksOutOfTheTreeAreSkippedAndNamedWhileLinksToFilesInsideAreCopies() throws Exception {
    Path secret = Files.writeString(temp.resolve("id_rsa"), "PRIVATE KEY");
    Path outsideDir = Files.createDirectories(temp.resolve("elsewhere"));
    Files.writeString(outsideDir.resolve("more.txt"), "not yours");
    Path tree = Files.createDirectories(temp.resolve("tree"));
    Files.writeString(tree.resolve("a.txt"), "a");
    Files.createDirectories(tree.resolve("sub"));
    Files.writeString(tree.resolve("sub/b.txt"), "b");
    Files.createSymbolicLink(tree.resolve("passwd"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(tree.resolve("sub/key"), Path.of("../../id_rsa"));
    Files.createSymbolicLink(tree.resolve("elsewhere"), outsideDir);
    Files.createSymbolicLink(tree.resolve("a-again.txt"), Path.of("a.txt"));
    Files.createSymbolicLink(tree.resolve("sub/loop"), Path.of(".."));
    Files.createSymbolicLink(tree.resolve("dangling"), Path.of("nothing-here"));

    List<String> skipped = new ArrayList<>();
    List<FileTrees.TreeFile> files = FileTrees.regularFiles(tree, skipped::add);

    assertThat(files).extracting(FileTrees.TreeFile::path).containsExactly("a-again.txt", "a.txt", "sub/b.txt");
    assertThat(files.getFirst().readAllBytes()).isEqualTo("a".getBytes(StandardCharsets.UTF_8));
    assertThat(files).extracting(FileTrees.TreeFile::source).allSatisfy(p -> assertThat(p).startsWith(
        tree.toRealPath()));
    assertThat(skipped).containsExactly(
        "skipped symbolic link dangling -> nothing-here: it points to nothing",
        "skipped symbolic link elsewhere -> " + outsideDir + ": it leads out of " + tree
            + ", and only what is in it is copied",
        "skipped symbolic link passwd -> /etc/passwd: it leads out of " + tree + ", and only what is in it is copied",
        "skipped symbolic link sub/key -> ../../id_rsa: it leads out of " + tree + ", and only what is in it is copied",
        "skipped symbolic link sub/loop -> ..: links to directories are not followed (the directory's own files are"
            + " copied from where they are)");
    assertThat(String.join("\n", skipped)).doesNotContain(Files.readString(secret));
  }

  @Test
  void aRootThatIsItselfALinkIsFollowedSinceTheUserNamedIt() throws Exception {
    Path real = Files.createDirectories(temp.resolve("real"));
    Files.writeString(real.resolve("data.csv"), "1,2");
    Files.createSymbolicLink(real.resolve("self.csv"), real.resolve("data.csv"));
    Path link = Files.createSymbolicLink(temp.resolve("named"), real);

    List<String> skipped = new ArrayList<>();
    assertThat(FileTrees.regularFiles(link, skipped::add)).extracting(FileTrees.TreeFile::path)
        .containsExactly("data.csv", "self.csv");
    assertThat(skipped).isEmpty();
  }
}
