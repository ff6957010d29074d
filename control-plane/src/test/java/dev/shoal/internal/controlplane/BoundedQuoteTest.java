package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedQuoteTest {
  @Test
  void aLongFieldIsQuotedByABoundedPrefixAndItsLength() {
    String quoted = BoundedQuote.of("x".repeat(8192));
    assertThat(quoted).startsWith("'" + "x".repeat(BoundedQuote.MAX_CHARS) + "'").endsWith("… (8192 characters)");
    assertThat(quoted.length()).isLessThan(100);
  }

  @Test
  void controlCharactersQuotesAndNonAsciiAreEscaped() {
    assertThat(BoundedQuote.of("a\0b\n'c\\é")).isEqualTo("'a\\u0000b\\u000a\\u0027c\\\\u00e9'");
  }

  @Test
  void aShortDescriptionIsKeptAsItIs() {
    String description = "no call 'fc-1' … it has [a, b]";
    assertThat(BoundedQuote.description(description)).isSameAs(description);
  }

  @Test
  void aDescriptionThatWouldNotFitInATrailerIsCutToPrintableAscii() {
    String description = "volume 'v' has no file '" + "日".repeat(1024) + "'";
    String bounded = BoundedQuote.description(description);
    assertThat(BoundedQuote.encodedBytes(bounded)).isLessThanOrEqualTo(BoundedQuote.MAX_ENCODED_BYTES);
    assertThat(bounded).startsWith("volume 'v' has no file '\\u65e5").contains("(cut from 1049 characters)");
  }
}
