package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void idsHaveTheirPrefixAndTwentyTwoBase62Digits() {
    for (int i = 0; i < 1_000; i++) {
      assertThat(Ids.next("fc")).matches("fc-[0-9A-Za-z]{22}");
    }
  }

  @Test
  void idsDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      assertThat(seen.add(Ids.next("fc"))).isTrue();
    }
  }

  @Test
  void everyDigitTurnsUp() {
    Set<Character> digits = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      Ids.next("x").substring(2).chars().forEach(c -> digits.add((char) c));
    }
    assertThat(digits).hasSize(62);
  }
}
