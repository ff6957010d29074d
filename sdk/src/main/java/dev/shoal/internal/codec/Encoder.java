package dev.shoal.internal.codec;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * The writer of one message: a value and everything it contains, in the wire format.
 *
 * <p>Every class name is written once per message, the first time it is needed, and referred to by
 * its index in the message's class table afterwards. The first time a record or ordinary class is
 * written, its field fingerprint follows, so the decoder can tell when the two sides disagree.
 */
final class Encoder extends ByteSink {
  /** The deepest nesting of composite values accepted: beyond real data, short of the stack's end. */
  static final int MAX_DEPTH = 1000;
  private static final int LINEAR_CLASSES = 16;

  private Class<?>[] classes;
  private boolean[] shapeWritten;
  private int classCount;
  private IdentityHashMap<Class<?>, Integer> classIndex;
  private int depth;
  /** The policy of the side that will decode, asked about each class named; null to send anything. */
  private final ClassPolicy policy;

  /** @param limits the inline threshold and the hard limit, or null to grow in memory up to 2 GB */
  Encoder(ClassPolicy policy, PayloadLimits limits) {
    super(64, limits);
    this.policy = policy;
  }

  void writeValue(Object v) {
    if (v == null) {
      writeByte(Tags.NULL);
      return;
    }
    Class<?> c = v.getClass();
    if (c == String.class) {
      writeByte(Tags.STRING);
      writeString((String) v);
    } else if (c == Integer.class) {
      writeByte(Tags.INT);
      writeZigzagInt((Integer) v);
    } else if (c == Long.class) {
      writeByte(Tags.LONG);
      writeZigzagLong((Long) v);
    } else if (c == Boolean.class) {
      writeByte((Boolean) v ? Tags.TRUE : Tags.FALSE);
    } else if (c == Double.class) {
      writeByte(Tags.DOUBLE);
      writeFixedLong(Double.doubleToRawLongBits((Double) v));
    } else if (c == byte[].class) {
      byte[] b = (byte[]) v;
      writeByte(Tags.BYTES);
      writeVarint(b.length);
      writeRaw(b);
    } else {
      // Composite kinds are dispatched here rather than in writeOther, so that each level of
      // nesting costs two stack frames and the depth limit is reached long before the stack ends.
      ClassInfo info = ClassInfo.of(c);
      switch (info.kind) {
        case Tags.RECORD, Tags.OBJECT -> writeFields(v, info);
        case Tags.LIST, Tags.SET, Tags.DEQUE -> writeCollection(info.kind, (Collection<?>) v);
        case Tags.MAP -> writeMap(Tags.MAP, (Map<?, ?>) v);
        case Tags.OBJECT_ARRAY -> {
          writeByte(Tags.OBJECT_ARRAY);
          writeObjectArray((Object[]) v);
        }
        default -> writeOther(v, info);
      }
    }
  }

  private void writeOther(Object v, ClassInfo info) {
    int kind = info.kind;
    switch (kind) {
      case Tags.REFUSED -> throw EncodeError.refused(info.type, info.refusal);
      case Tags.FLOAT -> {
        writeByte(kind);
        writeFixedInt(Float.floatToRawIntBits((Float) v));
      }
      case Tags.SHORT -> {
        writeByte(kind);
        writeZigzagInt((Short) v);
      }
      case Tags.BYTE -> {
        writeByte(kind);
        writeByte((Byte) v);
      }
      case Tags.CHAR -> {
        writeByte(kind);
        writeVarint((Character) v);
      }
      case Tags.ENUM -> {
        writeByte(kind);
        classRef(info.enumType);
        writeString(((Enum<?>) v).name());
      }
      case Tags.SORTED_SET -> {
        if (((SortedSet<?>) v).comparator() != null) {
          throw EncodeError.refused(info.type, customOrder("set"));
        }
        writeCollection(kind, (Collection<?>) v);
      }
      case Tags.SORTED_MAP -> {
        if (((SortedMap<?, ?>) v).comparator() != null) {
          throw EncodeError.refused(info.type, customOrder("map"));
        }
        writeMap(kind, (Map<?, ?>) v);
      }
      case Tags.ENUM_SET -> writeEnumSet((EnumSet<?>) v);
      case Tags.ENUM_MAP -> writeEnumMap((EnumMap<?, ?>) v);
      case Tags.OPTIONAL -> writeOptional((Optional<?>) v);
      default -> {
        if (kind >= Tags.BOOLEAN_ARRAY && kind < Tags.OBJECT_ARRAY) {
          PrimitiveArrays.write(this, kind, v);
        } else {
          JdkValues.write(this, kind, v);
        }
      }
    }
  }

  private static String customOrder(String what) {
    return "it is a sorted " + what + " with a custom comparator, which cannot be sent; use"
        + " natural ordering, or send its elements as a List";
  }

  private void enter(Object v) {
    if (++depth > MAX_DEPTH) {
      throw EncodeError.tooDeep(v);
    }
  }

  private void writeFields(Object v, ClassInfo info) {
    enter(v);
    writeByte(info.kind);
    classWithShape(info);
    FieldSlot[] slots = info.slots;
    int i = 0;
    try {
      for (; i < slots.length; i++) {
        FieldSlot s = slots[i];
        Field f = s.field;
        switch (s.prim) {
          case 'I' -> writeZigzagInt(f.getInt(v));
          case 'J' -> writeZigzagLong(f.getLong(v));
          case 'Z' -> writeByte(f.getBoolean(v) ? 1 : 0);
          case 'B' -> writeByte(f.getByte(v));
          case 'S' -> writeZigzagInt(f.getShort(v));
          case 'C' -> writeVarint(f.getChar(v));
          case 'F' -> writeFixedInt(Float.floatToRawIntBits(f.getFloat(v)));
          case 'D' -> writeFixedLong(Double.doubleToRawLongBits(f.getDouble(v)));
          default -> writeValue(f.get(v));
        }
      }
    } catch (EncodeError e) {
      throw e.atField(slots[i], v);
    } catch (IllegalAccessException e) {
      // Cannot happen: every field was made accessible when its ClassInfo was built.
      throw new IllegalStateException(e);
    }
    depth--;
  }

  private void writeCollection(int kind, Collection<?> c) {
    enter(c);
    writeByte(kind);
    int n = c.size();
    writeVarint(n);
    int i = 0;
    try {
      if (c instanceof List<?> list && c instanceof RandomAccess) {
        for (; i < n; i++) {
          writeValue(list.get(i));
        }
      } else {
        for (Object o : c) {
          if (i == n) {
            throw modifiedWhileWriting(c);
          }
          writeValue(o);
          i++;
        }
        if (i != n) {
          throw modifiedWhileWriting(c);
        }
      }
    } catch (EncodeError e) {
      throw e.atElement(kind == Tags.LIST ? "list" : kind == Tags.DEQUE ? "queue" : "set",
          "[" + i + "]", c);
    }
    depth--;
  }

  private void writeMap(int kind, Map<?, ?> m) {
    enter(m);
    writeByte(kind);
    int n = m.size();
    writeVarint(n);
    int i = 0;
    boolean inKey = false;
    Object key = null;
    try {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (i == n) {
          throw modifiedWhileWriting(m);
        }
        key = e.getKey();
        inKey = true;
        writeValue(key);
        inKey = false;
        writeValue(e.getValue());
        i++;
      }
      if (i != n) {
        throw modifiedWhileWriting(m);
      }
    } catch (EncodeError e) {
      throw e.atElement("map", inKey ? "[key #" + i + "]" : "[" + describeKey(key, i) + "]", m);
    }
    depth--;
  }

  private static String describeKey(Object key, int index) {
    if (key instanceof String s) {
      return "\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
    }
    if (key instanceof Number || key instanceof Boolean || key instanceof Character
        || key instanceof Enum<?>) {
      return String.valueOf(key);
    }
    return "value #" + index;
  }

  private static CodecException modifiedWhileWriting(Object container) {
    return new CodecException("cannot serialise " + container.getClass().getName()
        + ": it was modified by another thread while it was being serialised");
  }

  private void writeEnumSet(EnumSet<?> set) {
    Class<?> enumType = enumTypeOf(set.isEmpty() ? EnumSet.complementOf(set) : set);
    if (enumType == null) {
      // The enum has no constants, so the set is empty whatever its type: send an empty set.
      writeByte(Tags.SET);
      writeVarint(0);
      return;
    }
    ClassInfo info = ClassInfo.of(enumType);
    if (info.kind == Tags.REFUSED) {
      throw EncodeError.refused(enumType, info.refusal);
    }
    writeByte(Tags.ENUM_SET);
    classRef(enumType);
    writeVarint(set.size());
    for (Enum<?> e : set) {
      writeString(e.name());
    }
  }

  private static Class<?> enumTypeOf(Collection<? extends Enum<?>> values) {
    for (Enum<?> e : values) {
      return e.getDeclaringClass();
    }
    return null;
  }

  private void writeEnumMap(EnumMap<?, ?> map) {
    if (map.isEmpty()) {
      // An empty EnumMap does not reveal its key type, so it can only be sent as an empty map.
      writeByte(Tags.MAP);
      writeVarint(0);
      return;
    }
    Class<?> enumType = enumTypeOf(map.keySet());
    ClassInfo info = ClassInfo.of(enumType);
    if (info.kind == Tags.REFUSED) {
      throw EncodeError.refused(enumType, info.refusal);
    }
    enter(map);
    writeByte(Tags.ENUM_MAP);
    classRef(enumType);
    writeVarint(map.size());
    Object key = null;
    try {
      for (Map.Entry<? extends Enum<?>, ?> e : map.entrySet()) {
        key = e.getKey();
        writeString(e.getKey().name());
        writeValue(e.getValue());
      }
    } catch (EncodeError e) {
      throw e.atElement("map", "[" + key + "]", map);
    }
    depth--;
  }

  private void writeOptional(Optional<?> o) {
    if (o.isEmpty()) {
      writeByte(Tags.OPTIONAL_EMPTY);
      return;
    }
    enter(o);
    writeByte(Tags.OPTIONAL);
    try {
      writeValue(o.get());
    } catch (EncodeError e) {
      throw e.atElement("optional", ".get()", o);
    }
    depth--;
  }

  private void writeObjectArray(Object[] a) {
    enter(a);
    classRef(a.getClass().getComponentType());
    writeVarint(a.length);
    int i = 0;
    try {
      for (; i < a.length; i++) {
        writeValue(a[i]);
      }
    } catch (EncodeError e) {
      throw e.atElement("array", "[" + i + "]", a);
    }
    depth--;
  }

  /** Writes a record's or ordinary class's reference, followed by its fingerprint the first time. */
  private void classWithShape(ClassInfo info) {
    int index = classRef(info.type);
    if (!shapeWritten[index]) {
      shapeWritten[index] = true;
      writeFixedInt(info.fingerprint);
    }
  }

  /** Writes a class as 0 and its name the first time in this message, as its index + 1 after that. */
  private int classRef(Class<?> c) {
    if (classIndex == null) {
      for (int i = 0; i < classCount; i++) {
        if (classes[i] == c) {
          writeVarint(i + 1);
          return i;
        }
      }
    } else {
      Integer i = classIndex.get(c);
      if (i != null) {
        writeVarint(i + 1);
        return i;
      }
    }
    if (classes == null) {
      classes = new Class<?>[4];
      shapeWritten = new boolean[4];
    } else if (classCount == classes.length) {
      classes = Arrays.copyOf(classes, classCount * 2);
      shapeWritten = Arrays.copyOf(shapeWritten, classCount * 2);
    }
    if (policy != null) {
      String refusal = policy.refusal(c);
      if (refusal != null) {
        Class<?> element = c;
        while (element.isArray()) {
          element = element.getComponentType();
        }
        throw EncodeError.refused(element, "the receiving side would refuse it: " + refusal);
      }
    }
    int index = classCount++;
    classes[index] = c;
    if (classIndex != null) {
      classIndex.put(c, index);
    } else if (classCount > LINEAR_CLASSES) {
      classIndex = new IdentityHashMap<>();
      for (int i = 0; i < classCount; i++) {
        classIndex.put(classes[i], i);
      }
    }
    writeVarint(0);
    writeString(c.getName());
    return index;
  }
}
