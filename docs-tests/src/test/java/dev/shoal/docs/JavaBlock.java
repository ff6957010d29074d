package dev.shoal.docs;

/**
 * A fenced {@code java} code block of a Markdown document.
 *
 * @param document the document's path from the repository root, {@code '/'}-separated
 * @param line the document's line (1-based) that holds the block's first line of code
 * @param code the block's code, without the fence's indentation
 * @param fragment whether the fence says {@code java fragment}: a block that must stay partial, and is not compiled
 */
record JavaBlock(String document, int line, String code, boolean fragment) {
  @Override
  public String toString() {
    return document + ":" + line;
  }
}
