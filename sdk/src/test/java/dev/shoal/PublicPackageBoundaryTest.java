package dev.shoal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the public package a facade: no class of {@code dev.shoal} may reference gRPC, protobuf or the generated
 * protocol types, whether by an import, a fully qualified name or a method signature. The compiled classes' constant
 * pools hold every type a class refers to, so they are what is checked, with the sources as a second look.
 */
class PublicPackageBoundaryTest {
  private static final List<String> TRANSPORT = List.of("io/grpc/", "dev/shoal/protocol/", "com/google/protobuf/");

  @Test
  void publicPackageClassesReferenceNoTransportType() throws IOException, URISyntaxException {
    Path classes = Path.of(App.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("dev/shoal");
    List<String> offences = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> listing = Files.list(classes)) {
      files = listing.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
    assertThat(files).as("compiled classes of dev.shoal").isNotEmpty();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        for (String constant : utf8Constants(in)) {
          TRANSPORT.stream().filter(constant::contains)
              .forEach(t -> offences.add(file.getFileName() + " refers to " + constant));
        }
      }
    }
    assertThat(offences).as("references from dev.shoal to the transport").isEmpty();
  }

  @Test
  void publicPackageSourcesImportNoTransport() throws IOException {
    Path sources = Path.of("src/main/java/dev/shoal");
    List<String> offences = new ArrayList<>();
    try (Stream<Path> listing = Files.list(sources)) {
      for (Path file : listing.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        for (String line : Files.readAllLines(file)) {
          if (TRANSPORT.stream().map(t -> t.replace('/', '.')).anyMatch(line::contains)) {
            offences.add(file.getFileName() + ": " + line.strip());
          }
        }
      }
    }
    assertThat(offences).as("transport named in the sources of dev.shoal").isEmpty();
  }

  /** The UTF-8 entries of a class file's constant pool, which hold every class name and descriptor it uses. */
  private static List<String> utf8Constants(InputStream classFile) throws IOException {
    DataInputStream in = new DataInputStream(classFile);
    in.readInt();
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    List<String> utf8 = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8.add(in.readUTF());
        case 7, 8, 16, 19, 20 -> in.skipBytes(2);
        case 15 -> in.skipBytes(3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          // Longs and doubles take two entries of the pool.
          i++;
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    return utf8;
  }
}
