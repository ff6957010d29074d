package dev.shoal.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.codec.CodecFixtures.Color;
import dev.shoal.internal.codec.CodecFixtures.Line;
import dev.shoal.internal.codec.CodecFixtures.Point;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spilling sink and the file-backed source: large values cost the heap a window, not their size. */
class CodecSpillTest {
  private static final ClassPolicy POLICY = ClassPolicy.forApp(CodecSpillTest.class);
  private static final int KIB = 1024;

  @TempDir
  Path spillDir;

  @AfterEach
  void clearProperties() {
    System.clearProperty(PayloadLimits.MAX_PROPERTY);
    System.clearProperty(PayloadLimits.INLINE_PROPERTY);
  }

  private PayloadLimits limits(int inlineBytes, long maxBytes) {
    return new PayloadLimits(inlineBytes, maxBytes, spillDir);
  }

  /** Strings with surrogate pairs and two-byte characters around every chunk boundary, arrays and numbers. */
  private static List<Object> largeValue() {
    StringBuilder text = new StringBuilder();
    Random random = new Random(11);
    while (text.length() < 3 * ByteSink.CHUNK + 7) {
      int r = random.nextInt(10);
      text.append(r == 0 ? "😀" : r == 1 ? "é" : r == 2 ? "\uD800" : r == 3 ? "\uDC00" : "abcdefg".substring(r - 3));
    }
    StringBuilder highRun = new StringBuilder("x".repeat(ByteSink.CHUNK - 2));
    highRun.append("\uD83D\uD83D\uDE00").append("tail");
    byte[] bytes = new byte[3 * 1024 * 1024 + 13];
    random.nextBytes(bytes);
    boolean[] flags = new boolean[100_003];
    for (int i = 0; i < flags.length; i++) {
      flags[i] = random.nextBoolean();
    }
    double[] doubles = random.doubles(50_001).toArray();
    int[] ints = random.ints(70_001).toArray();
    char[] chars = text.toString().toCharArray();
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      points.add(new Point(i, -i));
    }
    byte[] magnitude = new byte[10_000];
    random.nextBytes(magnitude);
    return List.of(text.toString(), highRun.toString(), bytes, flags, doubles, ints, chars, points,
        new BigInteger(magnitude), new TreeMap<>(Map.of("line", new Line(new Point(1, 2), new Point(3, 4), "l"))),
        Color.BLUE, "x".repeat(2 * KIB * KIB));
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void valueOverTheInlineThresholdSpillsToAFileWithTheSameBytesSizeAndHash() throws Exception {
    List<Object> value = largeValue();
    byte[] inMemory = Codec.encode(value);
    EncodedValue encoded = Codec.encode(value, POLICY, limits(64 * KIB, Long.MAX_VALUE >> 30));
    assertThat(encoded).isInstanceOf(EncodedValue.Spilled.class);
    try (EncodedValue.Spilled spilled = (EncodedValue.Spilled) encoded) {
      assertThat(spilled.file().getParent()).isEqualTo(spillDir);
      assertThat(spilled.size()).isEqualTo(inMemory.length).isEqualTo(Files.size(spilled.file()));
      assertThat(Files.readAllBytes(spilled.file())).isEqualTo(inMemory);
      assertThat(spilled.sha256()).isEqualTo(sha256(spilled.file()));
    }
    assertThat(spillDir).isEmptyDirectory();
  }

  @Test
  void valueWithinTheInlineThresholdStaysInMemory() {
    EncodedValue encoded = Codec.encode(List.of("small", new Point(1, 2)), POLICY, limits(64 * KIB, 1 << 20));
    assertThat(encoded).isInstanceOf(EncodedValue.Inline.class);
    assertThat(((EncodedValue.Inline) encoded).bytes()).isEqualTo(Codec.encode(List.of("small", new Point(1, 2))));
    assertThat(Codec.encode(7, POLICY, limits(KIB, KIB))).isInstanceOf(EncodedValue.Inline.class);
  }

  @Test
  void fileSourceReadsTheSameValueThroughAnyWindow() throws Exception {
    List<Object> value = largeValue();
    byte[] expected = Codec.encode(value);
    Path file = Files.write(spillDir.resolve("payload.bin"), expected);
    // Small windows make every read cross windows; the last is larger than any string but the 2 MiB one.
    for (int window : List.of(16, 17, 64, 1000, 64 * KIB)) {
      Object decoded = Codec.decode(file, POLICY, window);
      assertThat(Codec.encode(decoded)).as("window %d", window).isEqualTo(expected);
    }
    assertThat(Codec.encode(Codec.decode(file, POLICY))).isEqualTo(expected);
  }

  @Test
  void truncatedOrTrailingFileIsRefusedNamingTheOffset() throws Exception {
    // Many small numbers, so that the cut falls where the reader needs the next byte, not in a length.
    byte[] bytes = Codec.encode(java.util.stream.IntStream.range(0, 100_000).boxed().toList());
    Path truncated = Files.write(spillDir.resolve("truncated.bin"), Arrays.copyOf(bytes, bytes.length - 5));
    assertThatThrownBy(() -> Codec.decode(truncated, POLICY, 64))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("truncated or corrupt payload: it ends early, at byte")
        .hasMessageContaining("of " + (bytes.length - 5));
    Path longer = Files.write(spillDir.resolve("longer.bin"), Arrays.copyOf(bytes, bytes.length + 3));
    assertThatThrownBy(() -> Codec.decode(longer, POLICY, 64))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("3 unexpected bytes follow the value");
    Path empty = Files.write(spillDir.resolve("empty.bin"), new byte[0]);
    assertThatThrownBy(() -> Codec.decode(empty, POLICY)).hasMessageContaining("it is empty");
  }

  @Test
  void impossibleLengthInAFileIsRefusedBeforeAllocating() throws IOException {
    ByteSink out = new ByteSink(16);
    out.writeByte(Tags.BYTES);
    out.writeVarint(Integer.MAX_VALUE);
    out.writeByte(0);
    Path file = Files.write(spillDir.resolve("lie.bin"), out.toByteArray());
    assertThatThrownBy(() -> Codec.decode(file, POLICY, 16))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("does not fit in the 1 bytes that remain");
  }

  @Test
  void valuePastTheHardLimitFailsAsItPassesItAndLeavesNoFile() {
    AtomicInteger read = new AtomicInteger();
    String line = "y".repeat(100);
    // A hundred megabytes of strings, of which the encoder must read little more than the limit's worth.
    List<String> huge = new AbstractList<>() {
      @Override
      public String get(int index) {
        read.incrementAndGet();
        return line;
      }

      @Override
      public int size() {
        return 1_000_000;
      }
    };
    assertThatThrownBy(() -> Codec.encode(huge, POLICY, limits(64 * KIB, 1 << 20)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("over the limit of 1,048,576 bytes")
        .hasMessageContaining("-Dshoal.payload.maxBytes or SHOAL_PAYLOAD_MAX_BYTES");
    // The limit's worth is about 10,300 strings; one more window of them may be written before the check.
    assertThat(read.get()).isLessThan(25_000);
    assertThat(spillDir).isEmptyDirectory();
  }

  @Test
  void limitAppliesToValuesThatStayInMemoryToo() {
    assertThatThrownBy(() -> Codec.encode("z".repeat(5000), POLICY, limits(64 * KIB, 4000)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("over the limit of 4,000 bytes");
    assertThatThrownBy(() -> Codec.encode(new byte[3000], POLICY, limits(2 * KIB, 2500)))
        .hasMessageContaining("over the limit of 2,500 bytes");
  }

  @Test
  void configuredLimitsComeFromTheSettingsAndRefuseNonsenseNamingTheSetting() {
    assertThat(PayloadLimits.configured().inlineBytes()).isEqualTo(PayloadLimits.DEFAULT_INLINE_BYTES);
    assertThat(PayloadLimits.configured().maxBytes()).isEqualTo(PayloadLimits.DEFAULT_MAX_BYTES);
    System.setProperty(PayloadLimits.MAX_PROPERTY, "3_000_000");
    System.setProperty(PayloadLimits.INLINE_PROPERTY, "65536");
    assertThat(PayloadLimits.configured()).extracting(PayloadLimits::inlineBytes, PayloadLimits::maxBytes)
        .containsExactly(65536, 3_000_000L);
    System.setProperty(PayloadLimits.MAX_PROPERTY, "lots");
    assertThatThrownBy(PayloadLimits::configured)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-Dshoal.payload.maxBytes must be a whole number of bytes, 1..1,099,511,627,776,"
            + " was 'lots'");
    System.setProperty(PayloadLimits.MAX_PROPERTY, "1000");
    System.setProperty(PayloadLimits.INLINE_PROPERTY, "100");
    assertThatThrownBy(PayloadLimits::configured)
        .hasMessageContaining("shoal.payload.inlineBytes must be 1,024..67,108,864 bytes, was 100");
  }
}
