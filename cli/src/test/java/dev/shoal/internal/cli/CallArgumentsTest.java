package dev.shoal.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.Args2;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallArgumentsTest {
  record Point(int x, double y) {}

  record Path(String name, List<Point> points) {}

  static final class NotARecord {}

  private static String typeOf(Class<?> c) {
    return "\"@type\":\"" + c.getName() + "\"";
  }

  @Test
  void jsonValuesBecomeJavaValuesAndAWordIsAString() {
    assertThat(CallArguments.value("21")).isEqualTo(21);
    assertThat(CallArguments.value("5000000000")).isEqualTo(5_000_000_000L);
    assertThat(CallArguments.value("2.5")).isEqualTo(2.5);
    assertThat(CallArguments.value("hello")).isEqualTo("hello");
    assertThat(CallArguments.value("[1,\"a\",null]")).isEqualTo(java.util.Arrays.asList(1, "a", null));
    assertThat(CallArguments.value("{\"a\":[true]}")).isEqualTo(Map.of("a", List.of(true)));
    assertThat(CallArguments.input(List.of("1", "x"))).isEqualTo(new Args2<>(1, "x"));
  }

  @Test
  void anObjectNamingARecordIsThatRecordWithNestedRecordsByTheirComponentTypes() {
    assertThat(CallArguments.value("{" + typeOf(Point.class) + ",\"x\":1,\"y\":2}")).isEqualTo(new Point(1, 2.0));
    assertThat(CallArguments.value("{" + typeOf(Path.class) + ",\"name\":\"p\",\"points\":[{\"x\":3,\"y\":4.5}]}"))
        .isEqualTo(new Path("p", List.of(new Point(3, 4.5))));
    assertThat(CallArguments.value("[{" + typeOf(Point.class) + ",\"x\":1,\"y\":2}]"))
        .isEqualTo(List.of(new Point(1, 2.0)));
  }

  @Test
  void aTypeThatCannotBeMadeIsRefusedSayingWhy() {
    assertThatThrownBy(() -> CallArguments.value("{\"@type\":\"com.example.Missing\",\"x\":1}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no class com.example.Missing")
        .hasMessageContaining("--classpath");
    assertThatThrownBy(() -> CallArguments.value("{" + typeOf(NotARecord.class) + "}"))
        .hasMessageContaining("is not a record");
    assertThatThrownBy(() -> CallArguments.value("{" + typeOf(Point.class) + ",\"x\":1,\"z\":2}"))
        .hasMessageContaining("cannot make a " + Point.class.getName()).hasMessageContaining("\"z\"");
    assertThatThrownBy(() -> CallArguments.value("{\"@type\":7}")).hasMessageContaining("as a string");
  }
}
