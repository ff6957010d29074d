package dev.shoal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The parameter set of a {@link Cls} pool, given by {@link Cls#with(Map)} and passed to the class's factory.
 * As in Modal, a value is a string, an integer, a boolean or bytes, and a set encodes to at most 16 KiB. Each
 * distinct set has a container pool of its own. Immutable.
 */
public final class ClsParams {
  static final int MAX_ENCODED_BYTES = 16 * 1024;
  private static final ClsParams EMPTY = new ClsParams(new TreeMap<>());
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Pattern PLAIN_STRING = Pattern.compile("[A-Za-z0-9_.-]{0,32}");
  private static final int MAX_LABEL_CHARS = 80;
  private static final byte STRING = 's';
  private static final byte INTEGER = 'i';
  private static final byte BOOL = 'b';
  private static final byte BYTES = 'y';

  // Values are String, Long, Boolean or byte[]; sorted by name so that equal sets encode to equal bytes.
  private final SortedMap<String, Object> values;
  private final byte[] encoded;

  private ClsParams(SortedMap<String, Object> values) {
    this.values = values;
    this.encoded = encode(values);
  }

  /** No parameters: what the factory of a class gets when it is called without {@link Cls#with}. */
  public static ClsParams empty() {
    return EMPTY;
  }

  /**
   * A parameter set.
   *
   * @param params names ({@code [A-Za-z_][A-Za-z0-9_]*}, at most 64 characters) to a {@code String}, an
   *     {@code Integer} or {@code Long}, a {@code Boolean} or a {@code byte[]}; 16 KiB encoded at most
   * @throws InvalidOptionException naming the rule a parameter breaks
   */
  public static ClsParams of(Map<String, ?> params) {
    Checks.notNull("Cls parameters", params);
    SortedMap<String, Object> values = new TreeMap<>();
    params.forEach((name, value) -> {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new InvalidOptionException(
            "a Cls parameter name must match [A-Za-z_][A-Za-z0-9_]{0,63}, was '" + name + "'");
      }
      values.put(name, normalise(name, value));
    });
    ClsParams result = values.isEmpty() ? EMPTY : new ClsParams(values);
    if (result.encoded.length > MAX_ENCODED_BYTES) {
      throw new InvalidOptionException("Cls parameters must encode to at most " + MAX_ENCODED_BYTES
          + " bytes (16 KiB), was " + result.encoded.length);
    }
    return result;
  }

  private static Object normalise(String name, Object value) {
    return switch (value) {
      case String s -> s;
      case Integer i -> (long) i;
      case Long l -> l;
      case Boolean b -> b;
      case byte[] bytes -> bytes.clone();
      case null -> throw new InvalidOptionException("Cls parameter '" + name + "' must not be null");
      default -> throw new InvalidOptionException("Cls parameter '" + name + "' must be a String, an Integer or"
          + " Long, a Boolean or a byte[], was " + value.getClass().getName());
    };
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The names of the parameters, in alphabetical order. */
  public Set<String> names() {
    return Collections.unmodifiableSet(values.keySet());
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** A string parameter; fails if it was not given or is not a string. */
  public String string(String name) {
    return required(name, String.class, "a string");
  }

  public String string(String name, String defaultValue) {
    return has(name) ? string(name) : defaultValue;
  }

  /** An integer parameter, given as an {@code Integer} or a {@code Long}. */
  public long integer(String name) {
    return required(name, Long.class, "an integer");
  }

  public long integer(String name, long defaultValue) {
    return has(name) ? integer(name) : defaultValue;
  }

  public boolean bool(String name) {
    return required(name, Boolean.class, "a boolean");
  }

  public boolean bool(String name, boolean defaultValue) {
    return has(name) ? bool(name) : defaultValue;
  }

  /** A bytes parameter, as a copy. */
  public byte[] bytes(String name) {
    return required(name, byte[].class, "bytes").clone();
  }

  private <V> V required(String name, Class<V> type, String what) {
    Object value = values.get(name);
    if (value == null) {
      throw new InvalidOptionException("Cls parameter '" + name + "' was not given; the parameters are " + names());
    }
    if (!type.isInstance(value)) {
      throw new InvalidOptionException("Cls parameter '" + name + "' is " + kind(value) + ", not " + what);
    }
    return type.cast(value);
  }

  private static String kind(Object value) {
    return switch (value) {
      case String s -> "a string";
      case Long l -> "an integer";
      case Boolean b -> "a boolean";
      default -> "bytes";
    };
  }

  /** The canonical encoding, which travels in the pool's definition and decides which pool a set belongs to. */
  byte[] encoded() {
    return encoded.clone();
  }

  /** Reads what {@link #encoded()} wrote. */
  static ClsParams decode(byte[] bytes) {
    if (bytes.length == 0) {
      return EMPTY;
    }
    SortedMap<String, Object> values = new TreeMap<>();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        byte tag = in.readByte();
        Object value = switch (tag) {
          case STRING -> new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
          case INTEGER -> in.readLong();
          case BOOL -> in.readBoolean();
          case BYTES -> in.readNBytes(in.readInt());
          default -> throw new IOException("unknown value tag " + tag);
        };
        values.put(name, value);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed Cls parameters: " + e.getMessage(), e);
    }
    return new ClsParams(values);
  }

  private static byte[] encode(SortedMap<String, Object> values) {
    if (values.isEmpty()) {
      return new byte[0];
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(values.size());
      for (Map.Entry<String, Object> e : values.entrySet()) {
        out.writeUTF(e.getKey());
        switch (e.getValue()) {
          case String s -> {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.writeByte(STRING);
            out.writeInt(utf8.length);
            out.write(utf8);
          }
          case Long l -> {
            out.writeByte(INTEGER);
            out.writeLong(l);
          }
          case Boolean b -> {
            out.writeByte(BOOL);
            out.writeBoolean(b);
          }
          case byte[] b -> {
            out.writeByte(BYTES);
            out.writeInt(b.length);
            out.write(b);
          }
          default -> throw new IllegalStateException("unexpected value " + e.getValue());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * What tells this set's pool apart in its name: {@code (dim=64,lang='en')} when every value is short and plain,
   * otherwise a hash of the encoding, {@code (#1f2e3d4c5b6a7988)}; empty for no parameters. Distinct sets always
   * get distinct labels: plain strings cannot contain the separators, and only a hash starts with {@code #}.
   */
  String label() {
    if (values.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("(");
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Object v = e.getValue();
      String text = switch (v) {
        case String s when PLAIN_STRING.matcher(s).matches() -> "'" + s + "'";
        case Long l -> l.toString();
        case Boolean bool -> bool.toString();
        default -> null;
      };
      if (text == null) {
        return "(#" + hash() + ")";
      }
      if (b.length() > 1) {
        b.append(',');
      }
      b.append(e.getKey()).append('=').append(text);
    }
    b.append(')');
    return b.length() <= MAX_LABEL_CHARS ? b.toString() : "(#" + hash() + ")";
  }

  private String hash() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(encoded);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClsParams p && Arrays.equals(p.encoded, encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("ClsParams{");
    values.forEach((name, value) -> {
      if (b.length() > "ClsParams{".length()) {
        b.append(", ");
      }
      b.append(name).append('=').append(value instanceof byte[] bytes ? "<" + bytes.length + " bytes>" : value);
    });
    return b.append('}').toString();
  }
}
