package dev.shoal.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.codec.CodecFixtures.Catalog;
import dev.shoal.internal.codec.CodecFixtures.Circle;
import dev.shoal.internal.codec.CodecFixtures.Color;
import dev.shoal.internal.codec.CodecFixtures.Concrete;
import dev.shoal.internal.codec.CodecFixtures.Empty;
import dev.shoal.internal.codec.CodecFixtures.Holder;
import dev.shoal.internal.codec.CodecFixtures.Job;
import dev.shoal.internal.codec.CodecFixtures.Line;
import dev.shoal.internal.codec.CodecFixtures.Node;
import dev.shoal.internal.codec.CodecFixtures.Point;
import dev.shoal.internal.codec.CodecFixtures.Primitives;
import dev.shoal.internal.codec.CodecFixtures.Square;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CodecRoundTripTest {
  private static final ClassPolicy POLICY = ClassPolicy.forApp(CodecRoundTripTest.class);

  private static Object roundTrip(Object value) {
    return Codec.decode(Codec.encode(value), POLICY);
  }

  @Test
  void nullRoundTrips() {
    assertThat(roundTrip(null)).isNull();
  }

  @Test
  void boxedPrimitivesRoundTripWithTheirOwnClass() {
    List<Object> values = List.of(0, 1, -1, 63, 64, -65, Integer.MIN_VALUE, Integer.MAX_VALUE,
        0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, (short) -7, Short.MAX_VALUE, (byte) -128,
        (byte) 127, 'x', '\uffff', 1.5f, Float.NaN, -0.0f, 2.25, Double.NaN, -0.0,
        Double.NEGATIVE_INFINITY, Double.MIN_VALUE, true, false);
    for (Object v : values) {
      assertThat(roundTrip(v)).as("%s (%s)", v, v.getClass()).isEqualTo(v)
          .hasSameClassAs(v);
    }
  }

  @Test
  void stringsRoundTripIncludingUnicodeAndUnpairedSurrogates() {
    List<String> values = List.of("", "a", "hello world", "x".repeat(42), "y".repeat(43),
        "z".repeat(100_000), "héllo wörld", "日本語のテキスト", "emoji 😀 pair", "\u0000nul\u0000",
        "lone high \ud800 here", "lone low \udc00", "ends with high \ud83d",
        "mixed ".repeat(50) + "😀€ü\ud800");
    for (String s : values) {
      assertThat(roundTrip(s)).isEqualTo(s);
    }
  }

  @Test
  void enumsRoundTripByNameIncludingConstantsWithBodies() {
    assertThat(roundTrip(Color.RED)).isSameAs(Color.RED);
    assertThat(roundTrip(Color.GREEN)).isSameAs(Color.GREEN);
    assertThat(roundTrip(TimeUnit.SECONDS)).isSameAs(TimeUnit.SECONDS);
    assertThat(roundTrip(DayOfWeek.FRIDAY)).isSameAs(DayOfWeek.FRIDAY);
    assertThat(roundTrip(RoundingMode.HALF_EVEN)).isSameAs(RoundingMode.HALF_EVEN);
  }

  @Test
  void recordsRoundTripThroughTheirCanonicalConstructor() {
    Line line = new Line(new Point(1, 2), new Point(-3, 4), "diagonal");
    assertThat(roundTrip(line)).isEqualTo(line);
    Primitives p = new Primitives(true, (byte) -3, (short) 300, 'é', -5, Long.MIN_VALUE, 1.25f,
        Math.PI);
    assertThat(roundTrip(p)).isEqualTo(p);
    assertThat(roundTrip(new Empty())).isEqualTo(new Empty());
  }

  @Test
  void recordWithNestedCollectionsRoundTrips() {
    Map<String, Point> first = new LinkedHashMap<>();
    first.put("origin", new Point(0, 0));
    first.put("unit", new Point(1, 1));
    Catalog catalog = new Catalog(List.of(first, Map.of(), Map.of("solo", new Point(9, 9))));
    Object decoded = roundTrip(catalog);
    assertThat(decoded).isEqualTo(catalog);
    assertThat(((Catalog) decoded).pages()).isInstanceOf(ArrayList.class);
    Map<String, Point> page = ((Catalog) decoded).pages().get(0);
    assertThat(page).isInstanceOf(LinkedHashMap.class);
    assertThat(List.copyOf(page.keySet())).containsExactly("origin", "unit");
  }

  @Test
  void valuesTypedAsObjectOrInterfacesComeBackWithTheirRealClass() {
    Holder holder = new Holder(new Point(1, 1), LocalDate.of(2024, 2, 29), new Circle(2.0));
    assertThat(roundTrip(holder)).isEqualTo(holder);
    Holder other = new Holder(List.of(new Square(1.0), Color.BLUE), "text", new Square(3.0));
    assertThat(roundTrip(other)).isEqualTo(other);
  }

  @Test
  void ordinaryClassesRoundTripWithFinalPrivateAndInheritedFields() {
    Job job = new Job("nightly", 7, List.of(new Point(1, 2)), Map.of("k", 1L), Color.GREEN,
        new long[] {1, -2, Long.MAX_VALUE});
    Job decoded = (Job) roundTrip(job);
    assertThat(decoded.baseName()).isEqualTo("nightly");
    assertThat(decoded.count).isEqualTo(7);
    assertThat(decoded.points()).containsExactly(new Point(1, 2));
    assertThat(decoded.payload()).isEqualTo(Map.of("k", 1L));
    assertThat(decoded.color()).isSameAs(Color.GREEN);
    assertThat(decoded.samples()).containsExactly(1, -2, Long.MAX_VALUE);
    // Transient fields are skipped and, since no constructor runs, keep their default value.
    assertThat(decoded.cache()).isNull();
    assertThat(Job.instances).isEqualTo(42);
  }

  @Test
  void listsDecodeAsArrayListWhateverTheirImplementation() {
    List<List<Integer>> lists = List.of(List.of(1, 2, 3), Arrays.asList(4, 5),
        new LinkedList<>(List.of(6)), Collections.unmodifiableList(new ArrayList<>(List.of(7))),
        List.of(), Collections.emptyList());
    for (List<Integer> list : lists) {
      assertThat(roundTrip(list)).isInstanceOf(ArrayList.class).isEqualTo(list);
    }
    List<String> withNulls = new ArrayList<>(Arrays.asList("a", null, "c"));
    assertThat(roundTrip(withNulls)).isEqualTo(withNulls);
  }

  @Test
  void setsAndMapsDecodeByKindKeepingIterationOrder() {
    Set<String> set = new LinkedHashSet<>(List.of("c", "a", "b"));
    assertThat(roundTrip(set)).isInstanceOf(LinkedHashSet.class)
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.ITERABLE)
        .containsExactly("c", "a", "b");
    assertThat(roundTrip(Set.of(1, 2, 3))).isInstanceOf(LinkedHashSet.class)
        .isEqualTo(Set.of(1, 2, 3));
    Map<String, Integer> map = new HashMap<>();
    map.put(null, 0);
    map.put("one", 1);
    assertThat(roundTrip(map)).isInstanceOf(LinkedHashMap.class).isEqualTo(map);
    Map<String, Integer> concurrent = new ConcurrentHashMap<>(Map.of("a", 1, "b", 2));
    assertThat(roundTrip(concurrent)).isInstanceOf(LinkedHashMap.class).isEqualTo(concurrent);
  }

  @Test
  void sortedSetsAndMapsDecodeAsTreeSetAndTreeMap() {
    SortedSet<String> sorted = new TreeSet<>(List.of("b", "a", "c"));
    assertThat(roundTrip(sorted)).isInstanceOf(TreeSet.class).isEqualTo(sorted);
    SortedMap<Integer, String> sortedMap = new TreeMap<>(Map.of(2, "two", 1, "one"));
    assertThat(roundTrip(sortedMap)).isInstanceOf(TreeMap.class).isEqualTo(sortedMap);
    assertThat(roundTrip(Collections.unmodifiableSortedSet(sorted))).isInstanceOf(TreeSet.class);
  }

  @Test
  void queuesEnumSetsAndEnumMapsKeepTheirKind() {
    assertThat(roundTrip(new ArrayDeque<>(List.of(1, 2)))).isInstanceOf(ArrayDeque.class)
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.ITERABLE)
        .containsExactly(1, 2);
    assertThat(roundTrip(new ConcurrentLinkedQueue<>(List.of("q")))).isInstanceOf(ArrayDeque.class);
    EnumSet<Color> colors = EnumSet.of(Color.RED, Color.GREEN);
    assertThat(roundTrip(colors)).isInstanceOf(EnumSet.class).isEqualTo(colors);
    assertThat(roundTrip(EnumSet.noneOf(Color.class))).isInstanceOf(EnumSet.class)
        .isEqualTo(EnumSet.noneOf(Color.class));
    EnumMap<ChronoUnit, String> units = new EnumMap<>(ChronoUnit.class);
    units.put(ChronoUnit.DAYS, "d");
    units.put(ChronoUnit.HOURS, null);
    assertThat(roundTrip(units)).isInstanceOf(EnumMap.class).isEqualTo(units);
  }

  @Test
  void fieldsDeclaredAsConcreteJdkCollectionsGetThatType() {
    Concrete c = new Concrete(new LinkedList<>(List.of("a", "b")), new TreeMap<>(Map.of("x", 1)));
    Concrete decoded = (Concrete) roundTrip(c);
    assertThat(decoded.names).isInstanceOf(LinkedList.class).containsExactly("a", "b");
    assertThat(decoded.ranks).isInstanceOf(TreeMap.class).isEqualTo(Map.of("x", 1));
  }

  @Test
  void optionalsRoundTrip() {
    List<Object> values = List.of(Optional.empty(), Optional.of("x"),
        Optional.of(Optional.of(new Point(1, 2))), OptionalInt.empty(), OptionalInt.of(-4),
        OptionalLong.empty(), OptionalLong.of(Long.MIN_VALUE), OptionalDouble.empty(),
        OptionalDouble.of(0.5));
    for (Object v : values) {
      assertThat(roundTrip(v)).isEqualTo(v);
    }
  }

  @Test
  void bigNumbersAndUuidsRoundTrip() {
    List<Object> values = List.of(BigInteger.ZERO, BigInteger.valueOf(-1),
        new BigInteger("123456789012345678901234567890"), new BigInteger("-98765432109876543210"),
        new BigDecimal("0.00"), new BigDecimal("-12345.6789"), new BigDecimal("1E+30"),
        UUID.randomUUID(), new UUID(0, 0));
    for (Object v : values) {
      Object decoded = roundTrip(v);
      assertThat(decoded).isEqualTo(v);
      if (v instanceof BigDecimal d) {
        assertThat(((BigDecimal) decoded).scale()).isEqualTo(d.scale());
      }
    }
  }

  @Test
  void javaTimeValuesRoundTrip() {
    LocalDateTime ldt = LocalDateTime.of(2021, 10, 31, 2, 30, 15, 123_456_789);
    List<Object> values = List.of(Instant.EPOCH, Instant.ofEpochSecond(-5, 999_999_999),
        Instant.MAX, Instant.MIN, Duration.ZERO, Duration.ofNanos(-1), Duration.ofDays(400),
        LocalDate.of(1, 1, 1), LocalDate.MAX, LocalDate.MIN, LocalTime.MIDNIGHT, LocalTime.MAX,
        ldt, OffsetDateTime.of(ldt, ZoneOffset.ofHoursMinutes(-3, -30)),
        ZonedDateTime.of(ldt, ZoneId.of("Europe/Paris")),
        ZonedDateTime.ofLocal(ldt, ZoneId.of("Europe/Paris"), ZoneOffset.ofHours(1)),
        ZonedDateTime.of(ldt, ZoneOffset.UTC), ZonedDateTime.of(ldt, ZoneId.of("UTC")),
        Period.ZERO, Period.of(1, -2, 3), ZoneId.of("America/New_York"), ZoneOffset.UTC,
        ZoneOffset.ofHours(14));
    for (Object v : values) {
      assertThat(roundTrip(v)).as("%s", v).isEqualTo(v);
    }
  }

  @Test
  void primitiveArraysRoundTrip() {
    assertThat((byte[]) roundTrip(new byte[] {1, -1, 0})).containsExactly(1, -1, 0);
    assertThat((boolean[]) roundTrip(new boolean[] {true, false})).containsExactly(true, false);
    assertThat((char[]) roundTrip(new char[] {'a', '\ud800'})).containsExactly('a', '\ud800');
    assertThat((short[]) roundTrip(new short[] {-1, Short.MIN_VALUE}))
        .containsExactly(-1, Short.MIN_VALUE);
    assertThat((int[]) roundTrip(new int[] {0, Integer.MIN_VALUE, 300}))
        .containsExactly(0, Integer.MIN_VALUE, 300);
    assertThat((long[]) roundTrip(new long[] {Long.MAX_VALUE})).containsExactly(Long.MAX_VALUE);
    assertThat((float[]) roundTrip(new float[] {1.5f, Float.NaN})).containsExactly(1.5f, Float.NaN);
    double[] doubles = (double[]) roundTrip(new double[] {-0.0, Double.NaN, 1e300});
    assertThat(Double.doubleToRawLongBits(doubles[0])).isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(doubles[1]).isNaN();
    assertThat((int[]) roundTrip(new int[0])).isEmpty();
  }

  @Test
  void objectAndMultiDimensionalArraysKeepTheirComponentType() {
    Object strings = roundTrip(new String[] {"a", null, "c"});
    assertThat(strings).isInstanceOf(String[].class);
    assertThat((String[]) strings).containsExactly("a", null, "c");
    Object grid = roundTrip(new int[][] {{1, 2}, {}, null, {3}});
    assertThat(grid).isInstanceOf(int[][].class);
    assertThat((int[][]) grid).isDeepEqualTo(new int[][] {{1, 2}, {}, null, {3}});
    Object points = roundTrip(new Point[][] {{new Point(1, 1)}, {}});
    assertThat(points).isInstanceOf(Point[][].class);
    assertThat(((Point[][]) points)[0][0]).isEqualTo(new Point(1, 1));
    Object mixed = roundTrip(new Object[] {1, "two", new Point(3, 3), List.of(4)});
    assertThat((Object[]) mixed).containsExactly(1, "two", new Point(3, 3), List.of(4));
    assertThat(roundTrip(new Integer[] {1, null})).isInstanceOf(Integer[].class);
    assertThat(roundTrip(new Color[] {Color.RED})).isInstanceOf(Color[].class);
    assertThat(roundTrip(new List<?>[] {List.of(1)})).isInstanceOf(List[].class);
  }

  @Test
  void sharedReferencesAreCopiedAndDeepButAcyclicGraphsRoundTrip() {
    Point shared = new Point(5, 5);
    Line line = new Line(shared, shared, null);
    assertThat(roundTrip(line)).isEqualTo(line);
    Node chain = CodecFixtures.chain(900);
    assertThat(roundTrip(chain)).isEqualTo(chain);
  }

  @Test
  void manyClassesInOneMessageAreEachNamedOnce() {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      values.add(new Point(i, i));
      values.add(new Line(new Point(i, 0), new Point(0, i), "l" + i));
      values.add(Color.values()[i % 3]);
      values.add(new Circle(i));
      values.add(new Square(i));
    }
    byte[] bytes = Codec.encode(values);
    assertThat(Codec.decode(bytes, POLICY)).isEqualTo(values);
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(text.split(java.util.regex.Pattern.quote(Point.class.getName()), -1)).hasSize(2);
  }

  @Test
  void smallValuesHaveCompactEncodings() {
    assertThat(Codec.encode(null)).hasSize(1);
    assertThat(Codec.encode(5)).hasSize(2);
    assertThat(Codec.encode(true)).hasSize(1);
    assertThat(Codec.encode("hi")).hasSize(4);
    assertThat(Codec.encode(1L)).hasSize(2);
    assertThat(Codec.encode(List.of(1, 2))).hasSize(6);
  }
}
