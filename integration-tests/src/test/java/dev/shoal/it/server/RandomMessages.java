package dev.shoal.it.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random and mutated protobuf messages of any request type, made through the type's descriptor: fields left out
 * or set to what no client sends (strings of 8 KiB and more, NUL and control characters, ids of the wrong kind;
 * numbers that are negative, zero or past every bound; enum values no version defines; repeated fields past the
 * engine's limits), serialised messages with bytes flipped or cut, and bytes that are no message at all. The real
 * ids and names it is given come back now and then, so that requests get past NOT_FOUND into deeper code.
 */
final class RandomMessages {
  private static final int MAX_DEPTH = 3;
  private static final String[] ID_KINDS = {"fc", "ap", "fu", "ct", "tk"};

  private final Random random;
  private final List<String> known;

  RandomMessages(Random random, List<String> known) {
    this.random = random;
    this.known = List.copyOf(known);
  }

  /** What one request message of {@code prototype}'s type is made of this time, as bytes. */
  byte[] next(Message prototype) {
    int kind = random.nextInt(100);
    if (kind < 70) {
      return message(prototype, 0).toByteArray();
    }
    if (kind < 85) {
      return mutated(message(prototype, 0).toByteArray());
    }
    if (kind < 95) {
      return bytes(random.nextInt(4) == 0 ? 4096 : 64);
    }
    return new byte[0];
  }

  /** Whether {@code bytes} parse as {@code prototype}'s type: bytes that do not may get gRPC's own INTERNAL. */
  static boolean parses(Message prototype, byte[] bytes) {
    try {
      prototype.getParserForType().parseFrom(bytes);
      return true;
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  Message message(Message prototype, int depth) {
    Message.Builder builder = prototype.newBuilderForType();
    for (FieldDescriptor field : prototype.getDescriptorForType().getFields()) {
      if (random.nextInt(3) == 0) {
        continue;
      }
      if (field.isRepeated()) {
        int count = repeatedCount(field);
        for (int i = 0; i < count; i++) {
          Object value = value(builder, field, depth, count > 100);
          if (value != null) {
            builder.addRepeatedField(field, value);
          }
        }
      } else {
        Object value = value(builder, field, depth, false);
        if (value != null) {
          builder.setField(field, value);
        }
      }
    }
    return builder.build();
  }

  private int repeatedCount(FieldDescriptor field) {
    int r = random.nextInt(20);
    if (r == 0) {
      // One past the engine's limit on items in a request, of small items.
      return 10_001;
    }
    return r < 8 ? 0 : random.nextInt(4);
  }

  private Object value(Message.Builder builder, FieldDescriptor field, int depth, boolean small) {
    return switch (field.getJavaType()) {
      case STRING -> small ? id() : string();
      case BYTE_STRING -> ByteString.copyFrom(bytes(small ? 8 : random.nextInt(10) == 0 ? 1 << 20 : 256));
      case INT -> (int) number();
      case LONG -> number();
      case BOOLEAN -> random.nextBoolean();
      case DOUBLE -> switch (random.nextInt(6)) {
        case 0 -> Double.NaN;
        case 1 -> Double.POSITIVE_INFINITY;
        case 2 -> -1.0;
        case 3 -> 1e300;
        default -> random.nextDouble() * 4;
      };
      case FLOAT -> (float) random.nextGaussian();
      case ENUM -> {
        int number = random.nextInt(4) == 0 ? 1000 + random.nextInt(1000) : random.nextInt(8);
        EnumValueDescriptor value = field.getEnumType().findValueByNumberCreatingIfUnknown(number);
        yield value;
      }
      case MESSAGE -> depth >= MAX_DEPTH || small
          ? builder.newBuilderForField(field).build()
          : message(builder.newBuilderForField(field).getDefaultInstanceForType(), depth + 1);
    };
  }

  private String id() {
    if (!known.isEmpty() && random.nextInt(3) == 0) {
      return known.get(random.nextInt(known.size()));
    }
    return ID_KINDS[random.nextInt(ID_KINDS.length)] + "-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
  }

  private String string() {
    return switch (random.nextInt(12)) {
      case 0 -> "";
      case 1, 2 -> known.isEmpty() ? id() : known.get(random.nextInt(known.size()));
      case 3 -> id();
      case 4 -> "x".repeat(8192);
      case 5 -> "a".repeat(70_000);
      case 6 -> id() + "\0" + id();
      case 7 -> "line\r\nforged: yes\u0007\u001b[2J";
      case 8 -> "日本語のパス/".repeat(200);
      case 9 -> "../../../../etc/passwd";
      case 10 -> "sha256:" + "0".repeat(64);
      default -> {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(40);
        for (int i = 0; i < n; i++) {
          b.append((char) (0x20 + random.nextInt(0x5f)));
        }
        yield b.toString();
      }
    };
  }

  private long number() {
    return switch (random.nextInt(10)) {
      case 0 -> 0;
      case 1 -> -1;
      case 2 -> Long.MAX_VALUE;
      case 3 -> Long.MIN_VALUE;
      case 4 -> Integer.MAX_VALUE;
      case 5 -> Integer.MIN_VALUE;
      case 6 -> 1L << 32;
      case 7 -> random.nextInt(10);
      default -> random.nextLong();
    };
  }

  private byte[] bytes(int max) {
    byte[] bytes = new byte[random.nextInt(max + 1)];
    random.nextBytes(bytes);
    return bytes;
  }

  /** A serialised message with a few bytes flipped, or cut short, or with garbage after it. */
  private byte[] mutated(byte[] message) {
    List<Byte> bytes = new ArrayList<>(message.length + 16);
    for (byte b : message) {
      bytes.add(b);
    }
    switch (random.nextInt(3)) {
      case 0 -> {
        for (int i = 0; i < 1 + random.nextInt(4) && !bytes.isEmpty(); i++) {
          int at = random.nextInt(bytes.size());
          bytes.set(at, (byte) (bytes.get(at) ^ (1 << random.nextInt(8))));
        }
      }
      case 1 -> {
        if (!bytes.isEmpty()) {
          bytes.subList(random.nextInt(bytes.size()), bytes.size()).clear();
        }
      }
      default -> {
        for (byte b : bytes(16)) {
          bytes.add(b);
        }
      }
    }
    byte[] out = new byte[bytes.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes.get(i);
    }
    return out;
  }
}
