package dev.shoal.internal.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;

/**
 * One serialised field of a class or component of a record: its {@link Field}, made accessible
 * once when the class is first seen, and what the encoder and decoder need to know about it.
 *
 * <p>Primitive fields are written without a tag, since both sides know their type; reference
 * fields are written as tagged values so that a field typed as an interface or as Object keeps the
 * real class of its value.
 */
final class FieldSlot {
  final Field field;
  final String name;
  final String owner;
  final Class<?> type;
  /** The JVM descriptor letter of a primitive field ('I', 'J', ...), or 0 for a reference. */
  final char prim;
  /**
   * Creates an empty instance of the field's type when that type is a concrete JDK collection or
   * map, such as LinkedList or TreeMap; collections are decoded by kind (ArrayList, LinkedHashMap,
   * ...) and are copied into the declared type when the kind alone would not fit the field.
   */
  private final MethodHandle coercer;

  FieldSlot(Field field) {
    this.field = field;
    this.name = field.getName();
    this.owner = field.getDeclaringClass().getName();
    this.type = field.getType();
    this.prim = type.isPrimitive() ? type.descriptorString().charAt(0) : 0;
    this.coercer = coercerFor(type);
  }

  /** A hash of the field's name and type, so both sides can tell when a class has changed shape. */
  int fingerprint() {
    return 31 * name.hashCode() + type.getName().hashCode();
  }

  /** Returns the decoded value in a form the field can hold, or explains why there is none. */
  Object adapt(Object value) {
    if (value == null || type.isInstance(value)) {
      return value;
    }
    if (coercer != null) {
      Object copy = coerce(value);
      if (copy != null) {
        return copy;
      }
    }
    String hint = value instanceof Collection<?> || value instanceof Map<?, ?>
        ? "; collections and maps are decoded by kind (ArrayList, LinkedHashSet, TreeSet,"
            + " LinkedHashMap, TreeMap, ArrayDeque), so declare the field as List, Set, Map, ..."
        : "";
    throw new CodecException("cannot decode field " + owner + "." + name + " of type "
        + type.getName() + " from a " + value.getClass().getName() + hint);
  }

  @SuppressWarnings("unchecked")
  private Object coerce(Object value) {
    Object target;
    try {
      target = (Object) coercer.invokeExact();
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      throw new CodecException("cannot create a " + type.getName() + " for field " + owner + "."
          + name, e);
    }
    if (target instanceof Collection<?> c && value instanceof Collection<?> source) {
      ((Collection<Object>) c).addAll(source);
      return target;
    }
    if (target instanceof Map<?, ?> m && value instanceof Map<?, ?> source) {
      ((Map<Object, Object>) m).putAll(source);
      return target;
    }
    return null;
  }

  private static MethodHandle coercerFor(Class<?> type) {
    if (type.isPrimitive() || type.isInterface() || Modifier.isAbstract(type.getModifiers())
        || !JdkTypes.isJdk(type)
        || !(Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type))) {
      return null;
    }
    try {
      return MethodHandles.publicLookup()
          .findConstructor(type, MethodType.methodType(void.class))
          .asType(MethodType.methodType(Object.class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }
}
