package dev.shoal.internal.codec;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The reader of one message in the wire format that {@link Encoder} writes; one per message.
 *
 * <p>Every class name in the message goes through the {@link ClassPolicy} before anything is done
 * with it, nesting is limited as on the encoding side, and collections are rebuilt by kind.
 */
final class Decoder extends ByteSource {
  private static final Class<?>[] NO_CLASSES = new Class<?>[0];

  private final ClassPolicy policy;
  private Class<?>[] classes = NO_CLASSES;
  private boolean[] shapeChecked;
  private int classCount;
  private int depth;

  Decoder(byte[] data, ClassPolicy policy) {
    super(data);
    this.policy = policy;
  }

  /** A decoder of the {@code size} bytes of {@code file}, read through a window of {@code window} bytes. */
  Decoder(FileChannel file, long size, int window, ClassPolicy policy) {
    super(file, size, window);
    this.policy = policy;
  }

  Object readValue() {
    int tag = readByte();
    return switch (tag) {
      case Tags.NULL -> null;
      case Tags.TRUE -> Boolean.TRUE;
      case Tags.FALSE -> Boolean.FALSE;
      case Tags.INT -> readZigzagInt();
      case Tags.LONG -> readZigzagLong();
      case Tags.DOUBLE -> Double.longBitsToDouble(readFixedLong());
      case Tags.STRING -> readString();
      case Tags.BYTES -> readRaw(readLength(1));
      // Composite kinds are read here rather than in readOther, so that each level of nesting
      // costs two stack frames and the depth limit is reached long before the stack ends.
      case Tags.RECORD -> readRecord();
      case Tags.OBJECT -> readObject();
      case Tags.LIST -> readCollection(new ArrayList<>());
      case Tags.MAP -> readMap(new LinkedHashMap<>());
      case Tags.OBJECT_ARRAY -> readObjectArray();
      default -> readOther(tag);
    };
  }

  private Object readOther(int tag) {
    return switch (tag) {
      case Tags.FLOAT -> Float.intBitsToFloat(readFixedInt());
      case Tags.SHORT -> readShort();
      case Tags.BYTE -> (byte) readByte();
      case Tags.CHAR -> readChar();
      case Tags.ENUM -> readEnum();
      case Tags.SET -> readCollection(new LinkedHashSet<>());
      case Tags.SORTED_SET -> readCollection(new TreeSet<>());
      case Tags.DEQUE -> readCollection(new ArrayDeque<>());
      case Tags.SORTED_MAP -> readMap(new TreeMap<>());
      case Tags.ENUM_SET -> readEnumSet();
      case Tags.ENUM_MAP -> readEnumMap();
      case Tags.OPTIONAL_EMPTY -> Optional.empty();
      case Tags.OPTIONAL -> readOptional();
      default -> {
        if (tag >= Tags.BOOLEAN_ARRAY && tag < Tags.OBJECT_ARRAY) {
          yield PrimitiveArrays.read(this, tag);
        }
        Object value = JdkValues.read(this, tag);
        if (value == null) {
          pos--;
          throw corrupt("unknown tag " + tag);
        }
        yield value;
      }
    };
  }

  private void enter() {
    if (++depth > Encoder.MAX_DEPTH) {
      throw corrupt("values are nested more than " + Encoder.MAX_DEPTH + " levels deep");
    }
  }

  private Object readEnum() {
    ClassInfo info = infoOf(readClass(), Tags.ENUM, "an enum");
    String name = readString();
    Object constant = info.enumConstant(name);
    if (constant == null) {
      throw new CodecException("enum " + info.type.getName() + " has no constant " + name
          + " on the decoding side (is the same version deployed on both sides?)");
    }
    return constant;
  }

  private Object readRecord() {
    int index = readClassIndex();
    ClassInfo info = infoOf(classes[index], Tags.RECORD, "a record");
    checkShape(index, info);
    enter();
    FieldSlot[] slots = info.slots;
    Object[] args = new Object[slots.length];
    for (int i = 0; i < slots.length; i++) {
      FieldSlot s = slots[i];
      args[i] = s.prim == 0 ? s.adapt(readValue()) : readBoxedPrimitive(s.prim);
    }
    depth--;
    return info.construct(args);
  }

  private Object readObject() {
    int index = readClassIndex();
    ClassInfo info = infoOf(classes[index], Tags.OBJECT, "an ordinary class");
    checkShape(index, info);
    enter();
    Object target = info.allocate();
    for (FieldSlot s : info.slots) {
      Field f = s.field;
      try {
        switch (s.prim) {
          case 'I' -> f.setInt(target, readZigzagInt());
          case 'J' -> f.setLong(target, readZigzagLong());
          case 'Z' -> f.setBoolean(target, readBoolean());
          case 'B' -> f.setByte(target, (byte) readByte());
          case 'S' -> f.setShort(target, readShort());
          case 'C' -> f.setChar(target, readChar());
          case 'F' -> f.setFloat(target, Float.intBitsToFloat(readFixedInt()));
          case 'D' -> f.setDouble(target, Double.longBitsToDouble(readFixedLong()));
          default -> f.set(target, s.adapt(readValue()));
        }
      } catch (IllegalAccessException e) {
        throw new CodecException("cannot set field " + s.owner + "." + s.name + ": " + e, e);
      }
    }
    depth--;
    return target;
  }

  /** Reads a primitive record component, written untagged, as its box. */
  private Object readBoxedPrimitive(char prim) {
    return switch (prim) {
      case 'I' -> readZigzagInt();
      case 'J' -> readZigzagLong();
      case 'Z' -> readBoolean();
      case 'B' -> (byte) readByte();
      case 'S' -> readShort();
      case 'C' -> readChar();
      case 'F' -> Float.intBitsToFloat(readFixedInt());
      default -> Double.longBitsToDouble(readFixedLong());
    };
  }

  private Collection<Object> readCollection(Collection<Object> target) {
    int n = readLength(1);
    enter();
    for (int i = 0; i < n; i++) {
      target.add(readValue());
    }
    depth--;
    return target;
  }

  private Map<Object, Object> readMap(Map<Object, Object> target) {
    int n = readLength(2);
    enter();
    for (int i = 0; i < n; i++) {
      Object key = readValue();
      target.put(key, readValue());
    }
    depth--;
    return target;
  }

  private Object readEnumSet() {
    ClassInfo info = infoOf(readClass(), Tags.ENUM, "an enum");
    int n = readLength(1);
    EnumSet<?> set = noneOf(info.enumType);
    for (int i = 0; i < n; i++) {
      addEnum(set, readEnumConstant(info));
    }
    return set;
  }

  private Object readEnumMap() {
    ClassInfo info = infoOf(readClass(), Tags.ENUM, "an enum");
    int n = readLength(2);
    enter();
    EnumMap<?, Object> map = newEnumMap(info.enumType);
    for (int i = 0; i < n; i++) {
      Object key = readEnumConstant(info);
      putEnum(map, key, readValue());
    }
    depth--;
    return map;
  }

  private Object readEnumConstant(ClassInfo info) {
    String name = readString();
    Object constant = info.enumConstant(name);
    if (constant == null) {
      throw new CodecException("enum " + info.type.getName() + " has no constant " + name
          + " on the decoding side (is the same version deployed on both sides?)");
    }
    return constant;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static EnumSet<?> noneOf(Class<?> enumType) {
    return EnumSet.noneOf((Class) enumType);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void addEnum(EnumSet<?> set, Object constant) {
    ((EnumSet) set).add(constant);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static EnumMap<?, Object> newEnumMap(Class<?> enumType) {
    return new EnumMap(enumType);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void putEnum(EnumMap<?, Object> map, Object key, Object value) {
    ((EnumMap) map).put(key, value);
  }

  private Object readOptional() {
    enter();
    Object value = readValue();
    depth--;
    if (value == null) {
      throw corrupt("an Optional holds null");
    }
    return Optional.of(value);
  }

  private Object readObjectArray() {
    Class<?> component = readClass();
    if (component.isPrimitive()) {
      throw corrupt("an object array has the primitive element type " + component.getName());
    }
    int n = readLength(1);
    enter();
    Object[] array = (Object[]) Array.newInstance(component, n);
    for (int i = 0; i < n; i++) {
      Object value = readValue();
      if (value != null && !component.isInstance(value)) {
        throw new CodecException("cannot decode an array of " + component.getName()
            + ": element " + i + " is a " + value.getClass().getName());
      }
      array[i] = value;
    }
    depth--;
    return array;
  }

  private static ClassInfo infoOf(Class<?> c, int kind, String what) {
    ClassInfo info = ClassInfo.of(c);
    if (info.kind == kind) {
      return info;
    }
    if (info.kind == Tags.REFUSED) {
      throw new CodecException("cannot decode " + c.getName() + ": " + info.refusal);
    }
    throw new CodecException("cannot decode " + c.getName() + ": the payload says it is " + what
        + ", but it is not on the decoding side (is the same version deployed on both sides?)");
  }

  /** Compares a record's or class's fingerprint the first time the message uses it. */
  private void checkShape(int index, ClassInfo info) {
    if (shapeChecked[index]) {
      return;
    }
    int fingerprint = readFixedInt();
    if (fingerprint != info.fingerprint) {
      throw new CodecException("class " + info.type.getName() + " has different fields on the"
          + " encoding and the decoding side (is the same version deployed on both sides?)");
    }
    shapeChecked[index] = true;
  }

  private Class<?> readClass() {
    // The index is read first: it may grow the table, so the array must be fetched after it.
    int index = readClassIndex();
    return classes[index];
  }

  /** Reads a class reference: 0 and a name the first time, the name's index + 1 after that. */
  private int readClassIndex() {
    int ref = readVarint();
    if (ref != 0) {
      if (ref < 0 || ref > classCount) {
        throw corrupt("class reference " + ref + " is not in the message's table of "
            + classCount + " classes");
      }
      return ref - 1;
    }
    String name = readString();
    Class<?> c = policy.resolve(name);
    if (c == null) {
      throw new CodecException("class " + name + " could not be resolved for decoding");
    }
    if (classCount == classes.length) {
      int size = Math.max(4, classCount * 2);
      classes = Arrays.copyOf(classes, size);
      shapeChecked = shapeChecked == null ? new boolean[size] : Arrays.copyOf(shapeChecked, size);
    }
    classes[classCount] = c;
    return classCount++;
  }
}
