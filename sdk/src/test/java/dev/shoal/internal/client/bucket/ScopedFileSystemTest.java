package dev.shoal.internal.client.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scope and the read-only rule of a bucket mount, over a local directory standing in for the store's file
 * system: the rules are the wrapper's, whatever the store.
 */
class ScopedFileSystemTest {
  @TempDir
  Path bucket;
  private Path prefix;

  @BeforeEach
  void fillBucket() throws IOException {
    prefix = Files.createDirectories(bucket.resolve("2026"));
    Files.writeString(bucket.resolve("outside.txt"), "outside");
    Files.createDirectories(prefix.resolve("dir"));
    Files.writeString(prefix.resolve("a.txt"), "alpha");
    Files.writeString(prefix.resolve("dir/b.txt"), "beta");
  }

  private Path mount(boolean readOnly) {
    return new ScopedFileSystem("raw", "s3://raw/2026/", prefix, readOnly, Files::newOutputStream).rootPath();
  }

  @Test
  void theRootIsThePrefixAndFilesReadAndListFromIt() throws IOException {
    Path root = mount(false);

    assertThat(root.toString()).isEqualTo("/");
    assertThat(Files.readString(root.resolve("dir/b.txt"))).isEqualTo("beta");
    assertThat(Files.readString(root.resolve("dir/./../a.txt"))).isEqualTo("alpha");
    try (Stream<Path> files = Files.walk(root)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted())
          .containsExactly("a.txt", "dir/b.txt");
    }
    assertThat(Files.isDirectory(root.resolve("dir"))).isTrue();
    assertThat(Files.exists(root.resolve("missing.txt"))).isFalse();
  }

  @Test
  void aPathThatClimbsAboveTheRootIsRefusedNamingTheMount() {
    Path root = mount(false);

    assertThatThrownBy(() -> Files.readString(root.resolve("../outside.txt")))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessage("/../outside.txt: leaves bucket mount 'raw' (s3://raw/2026/): a mount reaches only the keys"
            + " under its prefix");
    assertThatThrownBy(() -> Files.writeString(root.resolve("dir/../../x.txt"), "x"))
        .isInstanceOf(AccessDeniedException.class).hasMessageContaining("leaves bucket mount 'raw'");
    assertThatThrownBy(() -> Files.list(root.resolve("..")))
        .isInstanceOf(AccessDeniedException.class).hasMessageContaining("leaves bucket mount 'raw'");
    assertThat(Files.exists(bucket.resolve("x.txt"))).isFalse();
  }

  @Test
  void aReadOnlyMountRefusesEveryWriteNamingTheMount() throws IOException {
    Path root = mount(true);

    assertThatThrownBy(() -> Files.writeString(root.resolve("new.txt"), "x"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessage("/new.txt: bucket mount 'raw' (s3://raw/2026/) is read-only");
    assertThatThrownBy(() -> Files.delete(root.resolve("a.txt"))).hasMessageContaining("is read-only");
    assertThatThrownBy(() -> Files.createDirectory(root.resolve("d"))).hasMessageContaining("is read-only");
    assertThatThrownBy(() -> Files.copy(root.resolve("a.txt"), root.resolve("c.txt")))
        .hasMessageContaining("is read-only");
    assertThatThrownBy(() -> Files.newByteChannel(root.resolve("a.txt"),
        java.nio.file.StandardOpenOption.APPEND)).hasMessageContaining("is read-only");
    assertThat(root.getFileSystem().isReadOnly()).isTrue();
    assertThat(Files.readString(root.resolve("a.txt"))).isEqualTo("alpha");
    assertThat(Files.exists(prefix.resolve("new.txt"))).isFalse();
  }

  @Test
  void aWritableMountWritesUnderThePrefix() throws IOException {
    Path root = mount(false);

    Files.writeString(root.resolve("dir/new.txt"), "written");
    Files.copy(root.resolve("a.txt"), root.resolve("copy.txt"));
    Files.delete(root.resolve("a.txt"));

    assertThat(Files.readString(prefix.resolve("dir/new.txt"))).isEqualTo("written");
    assertThat(Files.readString(prefix.resolve("copy.txt"))).isEqualTo("alpha");
    assertThat(Files.exists(prefix.resolve("a.txt"))).isFalse();
    assertThatThrownBy(() -> Files.readString(root.resolve("a.txt"))).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void pathsAreLexicalAndStayInTheirMount() {
    Path root = mount(false);
    Path file = root.resolve("dir/b.txt");

    assertThat(file.getFileName().toString()).isEqualTo("b.txt");
    assertThat(file.getParent().toString()).isEqualTo("/dir");
    assertThat(file.getParent().getParent()).isEqualTo(root);
    assertThat(root.getParent()).isNull();
    assertThat(file.getNameCount()).isEqualTo(2);
    assertThat(file.startsWith(root.resolve("dir"))).isTrue();
    assertThat(file.endsWith("dir/b.txt")).isTrue();
    assertThat(root.resolve("dir/../a.txt").normalize().toString()).isEqualTo("/a.txt");
    assertThat(root.resolve("dir").relativize(root.resolve("a.txt")).toString()).isEqualTo("../a.txt");
    assertThat(root.getFileSystem().getPath("dir", "b.txt").toAbsolutePath()).isEqualTo(file);
    assertThat(root.getFileSystem().getPathMatcher("glob:**/*.txt").matches(file)).isTrue();
    assertThatThrownBy(() -> root.resolve(Path.of("/tmp"))).isInstanceOf(ProviderMismatchException.class);
    assertThatThrownBy(() -> root.getFileSystem().close()).isInstanceOf(UnsupportedOperationException.class);
  }
}
