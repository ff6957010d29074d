package dev.shoal.internal.codec;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The JDK classes the codec treats as values, and the test for whether a class belongs to the JDK.
 *
 * <p>The same lists decide what the encoder accepts and what a {@link ClassPolicy} lets a decoder
 * resolve, so a payload the encoder writes is never refused by the decoder for a JDK class.
 */
final class JdkTypes {
  /** JDK value classes, each written with its own tag, mapped to that tag. */
  static final Map<Class<?>, Integer> VALUE_TAGS = Map.ofEntries(
      Map.entry(Boolean.class, Tags.TRUE),
      Map.entry(Byte.class, Tags.BYTE),
      Map.entry(Short.class, Tags.SHORT),
      Map.entry(Character.class, Tags.CHAR),
      Map.entry(Integer.class, Tags.INT),
      Map.entry(Long.class, Tags.LONG),
      Map.entry(Float.class, Tags.FLOAT),
      Map.entry(Double.class, Tags.DOUBLE),
      Map.entry(String.class, Tags.STRING),
      Map.entry(BigInteger.class, Tags.BIG_INTEGER),
      Map.entry(BigDecimal.class, Tags.BIG_DECIMAL),
      Map.entry(UUID.class, Tags.UUID),
      Map.entry(Instant.class, Tags.INSTANT),
      Map.entry(Duration.class, Tags.DURATION),
      Map.entry(LocalDate.class, Tags.LOCAL_DATE),
      Map.entry(LocalTime.class, Tags.LOCAL_TIME),
      Map.entry(LocalDateTime.class, Tags.LOCAL_DATE_TIME),
      Map.entry(OffsetDateTime.class, Tags.OFFSET_DATE_TIME),
      Map.entry(ZonedDateTime.class, Tags.ZONED_DATE_TIME),
      Map.entry(Period.class, Tags.PERIOD),
      Map.entry(ZoneOffset.class, Tags.ZONE_OFFSET),
      Map.entry(Optional.class, Tags.OPTIONAL),
      Map.entry(OptionalInt.class, Tags.OPTIONAL_INT),
      Map.entry(OptionalLong.class, Tags.OPTIONAL_LONG),
      Map.entry(OptionalDouble.class, Tags.OPTIONAL_DOUBLE));

  /** JDK enums that may be written by name; other JDK enums describe JDK internals, not data. */
  private static final Set<Class<?>> ENUMS = Set.of(
      DayOfWeek.class, Month.class, ChronoUnit.class, TimeUnit.class, RoundingMode.class);

  /**
   * JDK classes that may be the element type of an object array in addition to the value classes:
   * creating an array of an interface runs no code of it, and every element is checked on its own.
   */
  private static final Set<Class<?>> ARRAY_ELEMENTS = Set.of(
      Object.class, Number.class, CharSequence.class, Comparable.class, Serializable.class,
      Iterable.class, Collection.class, List.class, Set.class, SortedSet.class, Queue.class,
      Deque.class, Map.class, SortedMap.class, Enum.class, Record.class, ZoneId.class,
      Temporal.class, TemporalAccessor.class, TemporalAmount.class);

  /** Every JDK class a decoder may resolve by name, keyed by that name. */
  private static final Map<String, Class<?>> DECODABLE;

  static {
    Map<String, Class<?>> byName = new HashMap<>();
    for (Class<?> c : VALUE_TAGS.keySet()) {
      byName.put(c.getName(), c);
    }
    for (Class<?> c : ENUMS) {
      byName.put(c.getName(), c);
    }
    for (Class<?> c : ARRAY_ELEMENTS) {
      byName.put(c.getName(), c);
    }
    DECODABLE = Map.copyOf(byName);
  }

  private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

  private JdkTypes() {}

  /** Whether the class is part of the JDK rather than of an application or a library. */
  static boolean isJdk(Class<?> c) {
    ClassLoader loader = c.getClassLoader();
    return loader == null || loader == PLATFORM || c.getName().startsWith("java.");
  }

  /** Whether a class name lies in a namespace the JDK reserves, where only these lists decide. */
  static boolean isJdkName(String name) {
    return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
        || name.startsWith("sun.") || name.startsWith("com.sun.");
  }

  /** Whether a JDK enum may be written by name. */
  static boolean isAllowedEnum(Class<?> enumType) {
    return ENUMS.contains(enumType);
  }

  /** Whether a JDK class may be the (innermost) element type of an object array. */
  static boolean isAllowedArrayElement(Class<?> c) {
    return ARRAY_ELEMENTS.contains(c) || VALUE_TAGS.containsKey(c) || ENUMS.contains(c);
  }

  /** The decodable JDK class with this name, or null if the name is not on the lists. */
  static Class<?> decodable(String name) {
    return DECODABLE.get(name);
  }
}
