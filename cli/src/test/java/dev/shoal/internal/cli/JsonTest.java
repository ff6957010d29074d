package dev.shoal.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void writesMapsInOrderListsAndScalars() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", 1);
    m.put("a", List.of(true, "x"));
    m.put("n", null);
    m.put("d", new BigDecimal("1E+3"));
    assertThat(Json.write(m)).isEqualTo("{\"b\":1,\"a\":[true,\"x\"],\"n\":null,\"d\":1000}");
  }

  @Test
  void escapesStrings() {
    assertThat(Json.write("q\"b\\n\nt\t\u0001")).isEqualTo("\"q\\\"b\\\\n\\nt\\t\\u0001\"");
  }

  @Test
  void writesAnyOtherObjectAsItsStringRatherThanItsFields() {
    record Point(int x, int y) {}
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("point", new Point(1, 2));
    m.put("at", java.time.Instant.parse("2026-01-02T03:04:05Z"));
    m.put("nan", Double.NaN);
    assertThat(Json.write(m))
        .isEqualTo("{\"point\":\"Point[x=1, y=2]\",\"at\":\"2026-01-02T03:04:05Z\",\"nan\":\"NaN\"}");
  }

  @Test
  void writesStringsOutsideAsciiAsThemselves() {
    assertThat(Json.write(List.of("é", "🐟"))).isEqualTo("[\"é\",\"🐟\"]");
  }

  @Test
  void rendersResultsBestEffort() {
    record Point(int x, int y) {}
    assertThat(Json.renderable(42L)).isEqualTo(42L);
    assertThat(Json.renderable("s")).isEqualTo("s");
    assertThat(Json.renderable('c')).isEqualTo("c");
    assertThat(Json.renderable(Double.NaN)).isEqualTo("NaN"); // JSON has no NaN
    assertThat(Json.renderable(new Point(1, 2))).isEqualTo("Point[x=1, y=2]");
    assertThat(Json.renderable(Arrays.asList(1, 2))).isEqualTo("[1, 2]");
  }
}
