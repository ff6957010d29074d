package dev.shoal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClsParamsTest {
  @Test
  void everyAllowedTypeIsReadBackThroughItsGetter() {
    ClsParams p = ClsParams.of(Map.of("s", "text", "i", 3, "l", 5_000_000_000L, "b", true,
        "y", new byte[] {1, 2, 3}));
    assertThat(p.string("s")).isEqualTo("text");
    assertThat(p.integer("i")).isEqualTo(3);
    assertThat(p.integer("l")).isEqualTo(5_000_000_000L);
    assertThat(p.bool("b")).isTrue();
    assertThat(p.bytes("y")).containsExactly(1, 2, 3);
    assertThat(p.names()).containsExactly("b", "i", "l", "s", "y");
  }

  @Test
  void encodingRoundTripsAndDecidesEquality() {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put("b", "x");
    one.put("a", 1);
    Map<String, Object> other = new LinkedHashMap<>();
    other.put("a", 1L);
    other.put("b", "x");
    ClsParams p = ClsParams.of(one);
    assertThat(p).isEqualTo(ClsParams.of(other)).hasSameHashCodeAs(ClsParams.of(other));
    assertThat(ClsParams.decode(p.encoded())).isEqualTo(p);
    assertThat(ClsParams.decode(new byte[0])).isEqualTo(ClsParams.empty());
    assertThat(p).isNotEqualTo(ClsParams.of(Map.of("a", 1, "b", "y")));
  }

  @Test
  void labelIsReadableForShortPlainValuesAndAHashOtherwise() {
    assertThat(ClsParams.empty().label()).isEmpty();
    assertThat(ClsParams.of(Map.of("dim", 64, "lang", "en", "fast", false)).label())
        .isEqualTo("(dim=64,fast=false,lang='en')");
    assertThat(ClsParams.of(Map.of("key", new byte[] {1})).label()).matches("\\(#[0-9a-f]{16}\\)");
    assertThat(ClsParams.of(Map.of("path", "/tmp/a b")).label()).matches("\\(#[0-9a-f]{16}\\)");
    // A string that reads like a number is still told apart from the number.
    assertThat(ClsParams.of(Map.of("n", "1")).label()).isNotEqualTo(ClsParams.of(Map.of("n", 1)).label());
  }

  @Test
  void unsupportedValuesAndNamesAreRejectedNamingTheRule() {
    assertThatThrownBy(() -> ClsParams.of(Map.of("ratio", 0.5)))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("Cls parameter 'ratio' must be a String, an Integer or Long, a Boolean or a byte[], was"
            + " java.lang.Double");
    Map<String, Object> withNull = new LinkedHashMap<>();
    withNull.put("x", null);
    assertThatThrownBy(() -> ClsParams.of(withNull))
        .isInstanceOf(InvalidOptionException.class).hasMessage("Cls parameter 'x' must not be null");
    assertThatThrownBy(() -> ClsParams.of(Map.of("1x", 1)))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("a Cls parameter name must match [A-Za-z_][A-Za-z0-9_]{0,63}, was '1x'");
  }

  @Test
  void parametersOver16KiBAreRejected() {
    assertThat(ClsParams.of(Map.of("text", "x".repeat(16_000))).string("text")).hasSize(16_000);
    assertThatThrownBy(() -> ClsParams.of(Map.of("text", "x".repeat(16_384))))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("Cls parameters must encode to at most 16384 bytes (16 KiB), was 16399");
  }

  @Test
  void gettersNameAMissingOrMistypedParameter() {
    ClsParams p = ClsParams.of(Map.of("dim", 64));
    assertThatThrownBy(() -> p.string("lang"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("Cls parameter 'lang' was not given; the parameters are [dim]");
    assertThatThrownBy(() -> p.string("dim"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("Cls parameter 'dim' is an integer, not a string");
    assertThat(p.string("lang", "en")).isEqualTo("en");
    assertThat(p.integer("dim", 8)).isEqualTo(64);
    assertThat(p.bool("fast", true)).isTrue();
  }

  @Test
  void bytesAreCopiedInAndOut() {
    byte[] given = {1, 2};
    ClsParams p = ClsParams.of(Map.of("key", given));
    given[0] = 9;
    p.bytes("key")[1] = 9;
    assertThat(p.bytes("key")).containsExactly(1, 2);
  }
}
