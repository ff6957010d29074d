package dev.shoal.internal.codec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An encoded value: its bytes when it stayed within the inline threshold, or else the temporary file it was
 * spilled to, with its size and SHA-256, ready to be uploaded without being read into memory.
 */
public sealed interface EncodedValue permits EncodedValue.Inline, EncodedValue.Spilled {
  /** How many bytes the value takes encoded. */
  long size();

  /** A value small enough to travel inside its message. */
  record Inline(byte[] bytes) implements EncodedValue {
    @Override
    public long size() {
      return bytes.length;
    }
  }

  /**
   * A value spilled to a temporary file, which its holder deletes with {@link #close()} once it is sent.
   *
   * @param sha256 the content's SHA-256 in lower-case hex, computed as it was written
   */
  record Spilled(Path file, long size, String sha256) implements EncodedValue, AutoCloseable {
    @Override
    public void close() {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover temporary file is harmless.
      }
    }
  }
}
