package dev.shoal.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Splits a code block into its top-level pieces (imports, type declarations, members, statements), so that a block
 * can mix the fields a snippet defines with the statements that use them. A piece ends at a {@code ;} or a closing
 * {@code }} outside any bracket, string or comment; {@code } else}, {@code } catch}, {@code } finally}, a
 * do-while's {@code while} and a {@code }} followed by {@code ;}, {@code ,}, {@code .} or {@code )} continue it.
 */
final class JavaChunks {
  /** What a piece is, which decides where a snippet's wrapper puts it. */
  enum Kind { IMPORT, TYPE, MEMBER, STATEMENT }

  /**
   * One top-level piece.
   *
   * @param text the piece as written, with the comments and blank lines before it
   * @param line the block's line (0-based) where {@code text} starts
   */
  record Chunk(String text, int line, Kind kind) {}

  private static final Set<String> MEMBER_MODIFIERS = Set.of(
      "public", "protected", "private", "static", "abstract", "sealed", "non-sealed", "strictfp", "default",
      "native", "transient", "volatile");
  private static final Set<String> TYPE_KEYWORDS = Set.of("class", "interface", "enum", "record", "@interface");
  private static final Set<String> STATEMENT_KEYWORDS = Set.of(
      "new", "return", "throw", "if", "for", "while", "switch", "try", "do", "else", "yield", "assert", "case",
      "break", "continue", "synchronized");
  /** A method declared without modifiers: optional type parameters, a return type, a name, parameters, a body. */
  private static final Pattern METHOD = Pattern.compile(
      "(<[^>]*>\\s*)?[\\w.<>\\[\\], ?]+?\\s+\\w+\\s*\\([^)]*\\)\\s*(throws\\s+[\\w.,\\s]+)?\\{.*\\}", Pattern.DOTALL);

  private JavaChunks() {}

  static List<Chunk> split(String code) {
    List<Chunk> chunks = new ArrayList<>();
    int depth = 0;
    int start = 0;
    int i = 0;
    while (i < code.length()) {
      int skipped = skipLiteralOrComment(code, i);
      if (skipped > i) {
        i = skipped;
        continue;
      }
      char c = code.charAt(i);
      boolean ends = false;
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
        ends = depth == 0 && c == '}' && endsAfterBrace(code, i + 1, code.substring(start, i));
      } else if (c == ';' && depth == 0) {
        ends = true;
      }
      i++;
      if (ends) {
        chunks.add(chunk(code, start, i));
        start = i;
      }
    }
    if (!significant(code.substring(start)).isEmpty()) {
      chunks.add(chunk(code, start, code.length())); // an unterminated piece; the compiler will say what is wrong
    }
    return chunks;
  }

  private static Chunk chunk(String code, int start, int end) {
    String text = code.substring(start, end);
    int line = (int) code.substring(0, start).chars().filter(ch -> ch == '\n').count();
    return new Chunk(text, line, kind(significant(text)));
  }

  /** The kind of a piece, from its text without comments and leading whitespace. */
  static Kind kind(String piece) {
    String rest = stripAnnotations(piece);
    List<String> words = List.of(rest.split("[^\\w@-]+", 8));
    if (words.getFirst().equals("import") || words.getFirst().equals("package")) {
      return Kind.IMPORT;
    }
    boolean memberModifier = false;
    int w = 0;
    while (w < words.size() && (MEMBER_MODIFIERS.contains(words.get(w)) || words.get(w).equals("final"))) {
      memberModifier |= MEMBER_MODIFIERS.contains(words.get(w));
      w++;
    }
    if (w < words.size() && TYPE_KEYWORDS.contains(words.get(w))) {
      return Kind.TYPE;
    }
    if (memberModifier) {
      return Kind.MEMBER;
    }
    if (!STATEMENT_KEYWORDS.contains(words.getFirst()) && METHOD.matcher(rest).matches()) {
      return Kind.MEMBER;
    }
    return Kind.STATEMENT;
  }

  /** Whether a {@code }} at depth zero ends the piece that began with {@code before}. */
  private static boolean endsAfterBrace(String code, int from, String before) {
    String next = significant(code.substring(from));
    if (next.isEmpty()) {
      return true;
    }
    char c = next.charAt(0);
    if (c == ';' || c == ',' || c == '.' || c == ')') {
      return false;
    }
    String word = next.split("[^\\w]", 2)[0];
    boolean doWhile = significant(before).startsWith("do") && word.equals("while");
    return !(word.equals("else") || word.equals("catch") || word.equals("finally") || doWhile);
  }

  /** The text without comments, stripped; string literals are kept. */
  static String significant(String text) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int skipped = skipLiteralOrComment(text, i);
      if (skipped > i) {
        if (text.charAt(i) != '/') {
          out.append(text, i, skipped);
        } else {
          out.append(' ');
        }
        i = skipped;
      } else {
        out.append(text.charAt(i++));
      }
    }
    return out.toString().strip();
  }

  private static String stripAnnotations(String piece) {
    String rest = piece;
    while (rest.startsWith("@") && !rest.startsWith("@interface")) {
      int i = 1;
      while (i < rest.length() && (Character.isJavaIdentifierPart(rest.charAt(i)) || rest.charAt(i) == '.')) {
        i++;
      }
      String after = rest.substring(i).stripLeading();
      if (after.startsWith("(")) {
        int depth = 0;
        int j = 0;
        do {
          char c = after.charAt(j);
          depth += c == '(' ? 1 : c == ')' ? -1 : 0;
          j++;
        } while (depth > 0 && j < after.length());
        after = after.substring(j);
      }
      rest = after.stripLeading();
    }
    return rest;
  }

  /**
   * The index just past a comment or a string, text block or character literal starting at {@code i}, or {@code i}
   * itself when none starts there.
   */
  private static int skipLiteralOrComment(String code, int i) {
    if (code.startsWith("//", i)) {
      int end = code.indexOf('\n', i);
      return end < 0 ? code.length() : end;
    }
    if (code.startsWith("/*", i)) {
      int end = code.indexOf("*/", i + 2);
      return end < 0 ? code.length() : end + 2;
    }
    if (code.startsWith("\"\"\"", i)) {
      return closing(code, i + 3, "\"\"\"");
    }
    char c = code.charAt(i);
    if (c == '"' || c == '\'') {
      return closing(code, i + 1, String.valueOf(c));
    }
    return i;
  }

  /** The index just past {@code quote}, skipping backslash escapes; the end of the code if it never comes. */
  private static int closing(String code, int from, String quote) {
    int j = from;
    while (j < code.length()) {
      if (code.charAt(j) == '\\') {
        j += 2;
      } else if (code.startsWith(quote, j)) {
        return j + quote.length();
      } else {
        j++;
      }
    }
    return code.length();
  }
}
