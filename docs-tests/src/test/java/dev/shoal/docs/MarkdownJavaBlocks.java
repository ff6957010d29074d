package dev.shoal.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the fenced {@code java} blocks of a Markdown document, including fences indented under list items. A fence
 * whose info string is {@code java fragment} marks a block that must stay partial; every other {@code java} block is
 * compiled.
 */
final class MarkdownJavaBlocks {
  /** An opening fence: its indentation, its backticks or tildes, and its info string. */
  private static final Pattern OPENING = Pattern.compile("^(\\s*)(`{3,}|~{3,})\\s*(.*)$");

  private MarkdownJavaBlocks() {}

  static List<JavaBlock> in(String document, String markdown) {
    List<JavaBlock> blocks = new ArrayList<>();
    List<String> lines = markdown.lines().toList();
    int i = 0;
    while (i < lines.size()) {
      Matcher opening = OPENING.matcher(lines.get(i));
      if (!opening.matches()) {
        i++;
        continue;
      }
      int indent = opening.group(1).length();
      String fence = opening.group(2);
      String[] info = opening.group(3).strip().split("\\s+");
      int first = i + 1;
      int end = first;
      while (end < lines.size() && !closes(lines.get(end), fence)) {
        end++;
      }
      if (info[0].equals("java")) {
        StringBuilder code = new StringBuilder();
        for (String line : lines.subList(first, end)) {
          code.append(unindent(line, indent)).append('\n');
        }
        boolean fragment = info.length > 1 && info[1].equals("fragment");
        blocks.add(new JavaBlock(document, first + 1, code.toString(), fragment));
      }
      i = end + 1;
    }
    return blocks;
  }

  /** Whether {@code line} closes a block opened by {@code fence}: the same character, at least as many times. */
  private static boolean closes(String line, String fence) {
    String stripped = line.strip();
    return stripped.length() >= fence.length() && stripped.chars().allMatch(c -> c == fence.charAt(0));
  }

  /** The line without the fence's indentation, which Markdown removes from the block's lines too. */
  private static String unindent(String line, int indent) {
    int spaces = 0;
    while (spaces < indent && spaces < line.length() && line.charAt(spaces) == ' ') {
      spaces++;
    }
    return line.substring(spaces);
  }
}
