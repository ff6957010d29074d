package dev.shoal.internal.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The temporary file that a {@link ByteSink} writes its windows to once a value passes the inline threshold, with
 * the count and the SHA-256 of what went there.
 */
final class Spill implements ByteSink.Overflow {
  final PayloadLimits limits;
  private final Path file;
  private final OutputStream out;
  private final MessageDigest digest;
  /** How many bytes went out to the file. */
  long flushed;

  Spill(PayloadLimits limits) {
    this.limits = limits;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
    try {
      file = Files.createTempFile(limits.spillDirectory(), "shoal-payload-", ".bin");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spill a large payload to " + limits.spillDirectory(), e);
    }
    try {
      out = Files.newOutputStream(file);
    } catch (IOException e) {
      delete(file);
      throw new UncheckedIOException("cannot spill a large payload to " + file, e);
    }
  }

  /** Appends {@code n} bytes of {@code buf}; on failure the file is gone and the encoding over. */
  void write(byte[] buf, int n) {
    try {
      out.write(buf, 0, n);
    } catch (IOException e) {
      discard();
      throw new UncheckedIOException("cannot spill a large payload to " + file, e);
    }
    digest.update(buf, 0, n);
    flushed += n;
  }

  /** Closes the file and hands it over, with its size and hash, to whoever sends it. */
  EncodedValue.Spilled finish() {
    try {
      out.close();
    } catch (IOException e) {
      discard();
      throw new UncheckedIOException("cannot spill a large payload to " + file, e);
    }
    return new EncodedValue.Spilled(file, flushed, HexFormat.of().formatHex(digest.digest()));
  }

  /** Closes and deletes the file: the value failed to encode, and nothing will read it. */
  void discard() {
    try {
      out.close();
    } catch (IOException e) {
      // The file is deleted below anyway.
    }
    delete(file);
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover temporary file is harmless.
    }
  }
}
