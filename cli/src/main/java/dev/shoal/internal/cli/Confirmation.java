package dev.shoal.internal.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a command that changes something prints on stdout: a sentence for a person, or with {@code --json} the same
 * facts as one JSON object, so that a script never has to parse the sentence.
 */
final class Confirmation {
  private Confirmation() {}

  /**
   * Prints {@code sentence}, or with {@code json} the object of {@code namesAndValues} (name, value, name,
   * value, …, in that order).
   */
  static void print(boolean json, String sentence, Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values come in pairs, got " + namesAndValues.length);
    }
    if (!json) {
      System.out.println(sentence);
      return;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      out.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    System.out.println(Json.write(out));
  }
}
