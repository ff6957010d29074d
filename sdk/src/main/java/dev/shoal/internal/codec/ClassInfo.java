package dev.shoal.internal.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * What the codec knows about one class: how it is written (its kind, one of the {@link Tags}) and,
 * for records and ordinary classes, its accessible fields and how to create an instance.
 *
 * <p>It is computed once per class and cached in a {@link ClassValue}, so the encoder and decoder do
 * no reflective look-ups per call. A class that cannot be serialised gets the kind
 * {@link Tags#REFUSED} and the reason, rather than an exception, so that the refusal is cached too.
 */
final class ClassInfo {
  private static final ClassValue<ClassInfo> CACHE = new ClassValue<>() {
    @Override
    protected ClassInfo computeValue(Class<?> type) {
      return classify(type);
    }
  };

  private static final FieldSlot[] NO_SLOTS = new FieldSlot[0];

  final Class<?> type;
  final int kind;
  /** Why the class cannot be serialised, when the kind is REFUSED. */
  final String refusal;
  /** The enum class itself for ENUM, even when {@link #type} is the class of a constant with a body. */
  final Class<?> enumType;
  private final Map<String, Object> enumConstants;
  final FieldSlot[] slots;
  /** A hash of the field names and types that the decoder compares with its own class. */
  final int fingerprint;
  /** The canonical constructor of a record, taking its components as one Object[]. */
  private final MethodHandle canonical;
  private volatile Constructor<?> allocator;

  private ClassInfo(Class<?> type, int kind, String refusal, Class<?> enumType,
      Map<String, Object> enumConstants, FieldSlot[] slots, MethodHandle canonical) {
    this.type = type;
    this.kind = kind;
    this.refusal = refusal;
    this.enumType = enumType;
    this.enumConstants = enumConstants;
    this.slots = slots;
    this.canonical = canonical;
    int h = kind;
    for (FieldSlot s : slots) {
      h = 31 * h + s.fingerprint();
    }
    this.fingerprint = h;
  }

  static ClassInfo of(Class<?> type) {
    return CACHE.get(type);
  }

  private static ClassInfo simple(Class<?> type, int kind) {
    return new ClassInfo(type, kind, null, null, null, NO_SLOTS, null);
  }

  private static ClassInfo refused(Class<?> type, String reason) {
    return new ClassInfo(type, Tags.REFUSED, reason, null, null, NO_SLOTS, null);
  }

  private static ClassInfo classify(Class<?> c) {
    Integer valueTag = JdkTypes.VALUE_TAGS.get(c);
    if (valueTag != null) {
      return simple(c, valueTag);
    }
    if (c.isArray()) {
      return array(c);
    }
    if (c.isHidden() || c.isSynthetic()) {
      return refused(c, "it is a lambda or another hidden or synthetic class, which has no name"
          + " the receiving side could load; use a record or a named class instead");
    }
    if (Proxy.isProxyClass(c)) {
      return refused(c, "it is a dynamic proxy, whose behaviour lives in its invocation handler"
          + " rather than in data; use a record or a named class instead");
    }
    if (Enum.class.isAssignableFrom(c) && c != Enum.class) {
      return enumInfo(c.isEnum() ? c : c.getSuperclass());
    }
    if (EnumSet.class.isAssignableFrom(c)) {
      return simple(c, Tags.ENUM_SET);
    }
    if (EnumMap.class.isAssignableFrom(c)) {
      return simple(c, Tags.ENUM_MAP);
    }
    if (ZoneId.class.isAssignableFrom(c) && JdkTypes.isJdk(c)) {
      return simple(c, Tags.ZONE_ID);
    }
    if (Map.class.isAssignableFrom(c)) {
      return simple(c, SortedMap.class.isAssignableFrom(c) ? Tags.SORTED_MAP : Tags.MAP);
    }
    if (Collection.class.isAssignableFrom(c)) {
      return simple(c, collectionKind(c));
    }
    if (JdkTypes.isJdk(c)) {
      return refused(c, "not a value type; only values (primitives, strings, java.time and"
          + " java.math types, UUID, Optional, collections, arrays, records and your own"
          + " classes) can be sent");
    }
    if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
      return refused(c, "it is abstract, so no instance of it can be created");
    }
    try {
      return c.isRecord() ? record(c) : object(c);
    } catch (InaccessibleObjectException e) {
      return refused(c, "its package " + c.getPackageName() + " is not open to the Shoal codec ("
          + e.getMessage() + "); open it, for example with 'opens " + c.getPackageName()
          + ";' in module-info.java");
    }
  }

  private static int collectionKind(Class<?> c) {
    if (List.class.isAssignableFrom(c)) {
      return Tags.LIST;
    }
    if (SortedSet.class.isAssignableFrom(c)) {
      return Tags.SORTED_SET;
    }
    if (Set.class.isAssignableFrom(c)) {
      return Tags.SET;
    }
    if (Queue.class.isAssignableFrom(c)) {
      return Tags.DEQUE;
    }
    return Tags.LIST;
  }

  private static ClassInfo array(Class<?> c) {
    Class<?> component = c.getComponentType();
    if (component.isPrimitive()) {
      return simple(c, switch (component.descriptorString().charAt(0)) {
        case 'Z' -> Tags.BOOLEAN_ARRAY;
        case 'B' -> Tags.BYTES;
        case 'C' -> Tags.CHAR_ARRAY;
        case 'S' -> Tags.SHORT_ARRAY;
        case 'I' -> Tags.INT_ARRAY;
        case 'J' -> Tags.LONG_ARRAY;
        case 'F' -> Tags.FLOAT_ARRAY;
        default -> Tags.DOUBLE_ARRAY;
      });
    }
    Class<?> element = component;
    while (element.isArray()) {
      element = element.getComponentType();
    }
    if (element.isPrimitive()) {
      return simple(c, Tags.OBJECT_ARRAY);
    }
    if (element.isHidden() || element.isSynthetic()) {
      return refused(c, "its element type is a hidden or synthetic class, which has no name the"
          + " receiving side could load");
    }
    if (JdkTypes.isJdk(element) && !JdkTypes.isAllowedArrayElement(element)) {
      return refused(c, "its element type " + element.getName() + " is a JDK class that is not a"
          + " value type; use Object[] or a List instead");
    }
    return simple(c, Tags.OBJECT_ARRAY);
  }

  private static ClassInfo enumInfo(Class<?> enumType) {
    if (JdkTypes.isJdk(enumType) && !JdkTypes.isAllowedEnum(enumType)) {
      return refused(enumType, "not a value type: it is a JDK enum that describes JDK internals");
    }
    Map<String, Object> constants = new HashMap<>();
    for (Object constant : enumType.getEnumConstants()) {
      constants.put(((Enum<?>) constant).name(), constant);
    }
    return new ClassInfo(enumType, Tags.ENUM, null, enumType, Map.copyOf(constants), NO_SLOTS,
        null);
  }

  private static ClassInfo record(Class<?> c) {
    RecordComponent[] components = c.getRecordComponents();
    FieldSlot[] slots = new FieldSlot[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      Field f;
      try {
        f = c.getDeclaredField(components[i].getName());
      } catch (NoSuchFieldException e) {
        return refused(c, "its component " + components[i].getName() + " has no field");
      }
      f.setAccessible(true);
      slots[i] = new FieldSlot(f);
      types[i] = components[i].getType();
    }
    MethodHandle canonical;
    try {
      Constructor<?> ctor = c.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      canonical = MethodHandles.lookup().unreflectConstructor(ctor)
          .asSpreader(Object[].class, types.length)
          .asType(MethodType.methodType(Object.class, Object[].class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return refused(c, "its canonical constructor cannot be called: " + e.getMessage());
    }
    return new ClassInfo(c, Tags.RECORD, null, null, null, slots, canonical);
  }

  private static ClassInfo object(Class<?> c) {
    List<Class<?>> chain = new ArrayList<>();
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      chain.add(k);
    }
    List<FieldSlot> slots = new ArrayList<>();
    // Superclass fields come first, as in Java serialization, so the order is stable and readable.
    for (int i = chain.size() - 1; i >= 0; i--) {
      Class<?> k = chain.get(i);
      if (JdkTypes.isJdk(k)) {
        // JDK state is private to the JDK, and reflection even hides some of it (ClassLoader's
        // fields, for one), so only superclasses known to have none are accepted.
        if (k == Number.class) {
          continue;
        }
        return refused(c, "not a value type: it extends " + k.getName()
            + ", a JDK class whose state the codec cannot read or restore");
      }
      for (Field f : k.getDeclaredFields()) {
        int mod = f.getModifiers();
        if (Modifier.isStatic(mod) || Modifier.isTransient(mod)) {
          continue;
        }
        f.setAccessible(true);
        slots.add(new FieldSlot(f));
      }
    }
    return new ClassInfo(c, Tags.OBJECT, null, null, null, slots.toArray(NO_SLOTS), null);
  }

  /** The enum constant with this name, or null if there is none. */
  Object enumConstant(String name) {
    return enumConstants.get(name);
  }

  /** Creates an instance of an ordinary class without running its constructors. */
  Object allocate() {
    Constructor<?> a = allocator;
    if (a == null) {
      a = Allocators.forClass(type);
      allocator = a;
    }
    try {
      return a.newInstance();
    } catch (InvocationTargetException e) {
      throw new CodecException("cannot create an instance of " + type.getName() + ": "
          + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new CodecException("cannot create an instance of " + type.getName() + ": " + e, e);
    }
  }

  /** Creates a record through its canonical constructor. */
  Object construct(Object[] components) {
    try {
      return (Object) canonical.invokeExact(components);
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      throw new CodecException("record " + type.getName()
          + " rejected the decoded components: " + e, e);
    }
  }
}
