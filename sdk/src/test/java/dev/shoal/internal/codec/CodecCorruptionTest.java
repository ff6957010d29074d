package dev.shoal.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.shoal.internal.codec.CodecFixtures.Color;
import dev.shoal.internal.codec.CodecFixtures.Job;
import dev.shoal.internal.codec.CodecFixtures.Line;
import dev.shoal.internal.codec.CodecFixtures.Point;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CodecCorruptionTest {
  private static final ClassPolicy POLICY = ClassPolicy.forApp(CodecCorruptionTest.class);

  /** A value that uses most kinds, so that corrupting it exercises most of the decoder. */
  private static Object richValue() {
    return List.of(1, -70_000L, "text ü 😀", 2.5, new byte[] {1, 2}, Optional.of('c'),
        new Line(new Point(1, 2), new Point(3, 4), "l"), Color.GREEN, EnumSet.of(Color.BLUE),
        new TreeMap<>(Map.of("a", new int[] {1, 2, 3})), new String[] {"x", null},
        new Job("j", 3, List.of(new Point(5, 6)), UUID.randomUUID(), Color.RED, new long[] {7}),
        new BigDecimal("-1.25"), ZonedDateTime.of(2020, 3, 29, 2, 30, 0, 0, ZoneId.of("Europe/Paris")),
        Duration.ofMillis(1500), new double[] {0.5}, new Point[][] {{new Point(0, 0)}});
  }

  @Test
  void truncatedBytesFailWithCodecException() {
    byte[] full = Codec.encode(richValue());
    for (int length = 0; length < full.length; length++) {
      byte[] prefix = Arrays.copyOf(full, length);
      assertThatThrownBy(() -> Codec.decode(prefix, POLICY))
          .as("prefix of %d bytes", length)
          .isInstanceOf(CodecException.class);
    }
  }

  @Test
  void trailingBytesFailWithCodecException() {
    byte[] bytes = Codec.encode("abc");
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> Codec.decode(longer, POLICY))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("1 unexpected bytes follow the value");
  }

  @Test
  void randomlyCorruptedBytesFailOnlyWithCodecExceptionAndNeverHang() {
    byte[] full = Codec.encode(richValue());
    Random random = new Random(20240229L);
    assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
      for (int round = 0; round < 20_000; round++) {
        byte[] bytes = full.clone();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        try {
          Codec.decode(bytes, POLICY);
        } catch (CodecException expected) {
          // Refusing corrupt input is the point; anything else fails the test below.
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
          fail("round " + round + " threw " + e + " for " + Arrays.toString(bytes), e);
        }
      }
    });
  }

  @Test
  void randomBytesFailOnlyWithCodecException() {
    Random random = new Random(7);
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = new byte[1 + random.nextInt(40)];
      random.nextBytes(bytes);
      try {
        Codec.decode(bytes, POLICY);
      } catch (CodecException expected) {
        // Expected for almost every input.
      }
    }
  }

  @Test
  void impossibleLengthsAreRefusedBeforeAllocating() {
    for (int tag : List.of(Tags.LIST, Tags.MAP, Tags.STRING, Tags.BYTES, Tags.INT_ARRAY,
        Tags.DOUBLE_ARRAY, Tags.BIG_INTEGER)) {
      ByteSink out = new ByteSink(16);
      out.writeByte(tag);
      out.writeVarint(Integer.MAX_VALUE);
      out.writeByte(0);
      assertThatThrownBy(() -> Codec.decode(out.toByteArray(), POLICY))
          .as("tag %d", tag)
          .isInstanceOf(CodecException.class)
          .hasMessageContaining("does not fit in the");
    }
  }

  @Test
  void unknownTagsAndBadClassReferencesAreRefused() {
    assertThatThrownBy(() -> Codec.decode(new byte[] {(byte) 200}, POLICY))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("unknown tag");
    assertThatThrownBy(() -> Codec.decode(new byte[] {Tags.ENUM, 5, 0}, POLICY))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("class reference 5");
    assertThatThrownBy(() -> Codec.decode(new byte[0], POLICY))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void deeplyNestedBytesAreRefusedWithoutStackOverflow() {
    ByteSink out = new ByteSink(16);
    for (int i = 0; i < 100_000; i++) {
      out.writeByte(Tags.LIST);
      out.writeVarint(1);
    }
    out.writeByte(Tags.NULL);
    assertThatThrownBy(() -> Codec.decode(out.toByteArray(), POLICY))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("nested more than 1000 levels deep");
  }

  @Test
  void classWhoseFieldsChangedIsRefusedNamingIt() {
    byte[] bytes = Codec.encode(new Point(1, 2));
    // The fingerprint follows the tag, the new-class marker and the length-prefixed name.
    int fingerprintAt = 3 + Point.class.getName().length();
    bytes[fingerprintAt] ^= 1;
    assertThatThrownBy(() -> Codec.decode(bytes, POLICY))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("class " + Point.class.getName() + " has different fields");
  }

  @Test
  void tagThatDisagreesWithTheClassIsRefused() {
    byte[] bytes = Codec.encode(new Point(1, 2));
    bytes[0] = Tags.OBJECT;
    assertThatThrownBy(() -> Codec.decode(bytes, POLICY))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("the payload says it is an ordinary class");
  }

  @Test
  void recordValidationFailureBecomesCodecException() {
    byte[] bytes = Codec.encode(new CodecFixtures.Validated(5));
    bytes[bytes.length - 1] = 0; // The last byte is the zigzag varint of 5; make it 0.
    assertThatThrownBy(() -> Codec.decode(bytes, POLICY))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("rejected the decoded components")
        .hasMessageContaining("positive must be > 0");
  }

  @Test
  void malformedStringsAreRefused() {
    for (byte[] bytes : List.of(new byte[] {Tags.STRING, 1, (byte) 0x80},
        new byte[] {Tags.STRING, 2, (byte) 0xC3, 0x41}, new byte[] {Tags.STRING, 1, (byte) 0xE0},
        new byte[] {Tags.STRING, 4, (byte) 0xF7, (byte) 0xBF, (byte) 0xBF, (byte) 0xBF})) {
      assertThatThrownBy(() -> Codec.decode(bytes, POLICY)).isInstanceOf(CodecException.class);
    }
    assertThat(Codec.decode(new byte[] {Tags.STRING, 2, (byte) 0xC3, (byte) 0xBC}, POLICY))
        .isEqualTo("ü");
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void varintPastThirtyTwoBitsIsRefusedRatherThanReadAsZero() {
    // 2^32 as a five-byte varint: cut to 32 bits it would be 0.
    assertThatThrownBy(() -> Codec.decode(bytes(Tags.INT, 0x80, 0x80, 0x80, 0x80, 0x10), POLICY))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("a varint does not fit in 32 bits");
    // A string whose length is 2^32 + 3: cut to 32 bits it would be read as "abc".
    assertThatThrownBy(() -> Codec.decode(
        bytes(Tags.STRING, 0x83, 0x80, 0x80, 0x80, 0x10, 'a', 'b', 'c'), POLICY))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("a varint does not fit in 32 bits");
    // The largest five-byte varint that fits still decodes: -1 as a zigzag is 1, 2^31 - 1 is 0xFFFFFFFE.
    assertThat(Codec.decode(bytes(Tags.INT, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F), POLICY))
        .isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void varlongPastSixtyFourBitsIsRefused() {
    assertThatThrownBy(() -> Codec.decode(
        bytes(Tags.LONG, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02), POLICY))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("a varint does not fit in 64 bits");
    assertThat(Codec.decode(
        bytes(Tags.LONG, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), POLICY))
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void numbersOutsideTheirTypesRangeAreRefusedRatherThanCut() {
    // 0x10000 as a char would be cut to 0.
    assertThatThrownBy(() -> Codec.decode(bytes(Tags.CHAR, 0x80, 0x80, 0x04), POLICY))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("a char of 65536 is past 0xFFFF");
    // 40000 (zigzag 80000) as a short would be cut to -25536.
    assertThatThrownBy(() -> Codec.decode(bytes(Tags.SHORT, 0x80, 0xF1, 0x04), POLICY))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("a short of 40000 is outside -32768..32767");
    assertThatThrownBy(() -> Codec.decode(bytes(Tags.CHAR_ARRAY, 1, 0x80, 0x80, 0x04), POLICY))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("is past 0xFFFF");
    // An Instant of second 0 and 10^9 nanoseconds: no encoder writes that many.
    ByteSink out = new ByteSink(16);
    out.writeByte(Tags.INSTANT);
    out.writeZigzagLong(0);
    out.writeVarint(1_000_000_000);
    assertThatThrownBy(() -> Codec.decode(out.toByteArray(), POLICY))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("a nanosecond count of 1000000000 is outside 0..999999999");
  }

  @Test
  void payloadOfAnotherCodecIsRefusedNamingItsId() {
    for (int id : List.of(0, 7)) {
      assertThatThrownBy(() -> Codec.requireId(id, "the argument"))
          .isInstanceOf(CodecException.class)
          .hasMessageContaining("the argument was written by codec " + id)
          .hasMessageContaining("only codec 1 is known here");
    }
    Codec.requireId(Codec.ID, "the argument");
  }
}
