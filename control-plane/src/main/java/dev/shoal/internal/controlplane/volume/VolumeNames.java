package dev.shoal.internal.controlplane.volume;

import dev.shoal.internal.controlplane.BoundedQuote;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The rules for volume names and for paths inside a volume, checked by the control plane whatever the client
 * checked already. A path is relative and {@code '/'}-separated, and no segment is empty, {@code "."} or
 * {@code ".."}: no path can name anything outside its volume. No segment is longer than
 * {@link #MAX_SEGMENT_BYTES} bytes in UTF-8, the most the file systems that containers mount volumes on hold in
 * one name: a file that a container cannot make in its mount would be missing from it.
 */
public final class VolumeNames {
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  static final int MAX_PATH = 1024;
  static final int MAX_SEGMENT_BYTES = 255;
  /** How much of an over-long segment a message shows. */
  private static final int SHOWN_SEGMENT_CHARS = 40;

  private VolumeNames() {}

  /** The name, if it is valid. */
  public static String name(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw Status.INVALID_ARGUMENT.withDescription("a volume name is 1..63 letters, digits, '.', '_' or '-',"
          + " starting with a letter or digit; was " + BoundedQuote.of(name)).asRuntimeException();
    }
    return name;
  }

  /** The path of a file in a volume, if it is one. */
  public static String path(String volume, String path) {
    String problem = problem(path);
    if (problem != null) {
      throw Status.INVALID_ARGUMENT.withDescription("path " + BoundedQuote.of(path) + " in volume "
          + BoundedQuote.of(volume) + " " + problem).asRuntimeException();
    }
    return path;
  }

  /** A directory to list: the root is {@code ""} or {@code "/"}; otherwise a path, with or without a final '/'. */
  public static String dir(String volume, String dir) {
    if (dir.isEmpty() || dir.equals("/")) {
      return "";
    }
    String trimmed = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
    return path(volume, trimmed);
  }

  static String hash(String hash) {
    if (hash == null || !HASH.matcher(hash).matches()) {
      throw Status.INVALID_ARGUMENT.withDescription("a content hash is 64 lower-case hex digits, was "
          + BoundedQuote.of(hash)).asRuntimeException();
    }
    return hash;
  }

  /** What is wrong with a path, or null. */
  static String problem(String path) {
    if (path == null || path.isEmpty()) {
      return "is empty";
    }
    if (path.length() > MAX_PATH) {
      return "is longer than " + MAX_PATH + " characters";
    }
    if (path.startsWith("/")) {
      return "is absolute; paths in a volume are relative to its root";
    }
    if (path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
      return "contains a backslash or NUL; separate directories with '/'";
    }
    if (path.chars().anyMatch(Character::isISOControl)) {
      return "contains a control character, which no file name in a volume may have";
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        return "contains '..', which would leave the volume";
      }
      if (segment.isEmpty() || segment.equals(".")) {
        return "has an empty or '.' segment";
      }
      int bytes = segment.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_SEGMENT_BYTES) {
        return "has a segment of " + bytes + " bytes in UTF-8 ('" + shown(segment) + "'); a segment may have at most "
            + MAX_SEGMENT_BYTES + " bytes, the most a file system holds in one file name";
      }
    }
    return null;
  }

  /** The start of a long segment, for a message, not cut within a character. */
  private static String shown(String segment) {
    if (segment.length() <= SHOWN_SEGMENT_CHARS) {
      return segment;
    }
    int end = SHOWN_SEGMENT_CHARS - 1;
    return segment.substring(0, Character.isHighSurrogate(segment.charAt(end - 1)) ? end - 1 : end) + "…";
  }
}
