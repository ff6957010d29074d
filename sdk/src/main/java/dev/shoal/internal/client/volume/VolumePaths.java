package dev.shoal.internal.client.volume;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The rules for volume names and for paths inside a volume, as the SDK checks them before anything is sent; the
 * control plane checks them again. A path is relative and {@code '/'}-separated, with no empty, {@code "."} or
 * {@code ".."} segment, so no path can name anything outside its volume; and no segment is longer than
 * {@link #MAX_SEGMENT_BYTES} bytes in UTF-8, the most that the file systems containers mount volumes on hold in
 * one name (ext4, XFS, APFS), so that every file of a volume can be made in every mount of it.
 */
public final class VolumePaths {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final int MAX_PATH = 1024;
  public static final int MAX_SEGMENT_BYTES = 255;
  /** How much of an over-long segment a message shows. */
  private static final int SHOWN_SEGMENT_CHARS = 40;

  private VolumePaths() {}

  /** What is wrong with a volume name, or null if it is valid. */
  public static String nameProblem(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return "a volume name is 1..63 letters, digits, '.', '_' or '-', starting with a letter or digit; was '"
          + name + "'";
    }
    return null;
  }

  /** What is wrong with a path in volume {@code volume}, or null if it is valid. */
  public static String pathProblem(String volume, String path) {
    String why;
    if (path == null || path.isEmpty()) {
      why = "is empty";
    } else if (path.length() > MAX_PATH) {
      why = "is longer than " + MAX_PATH + " characters";
    } else if (path.startsWith("/")) {
      why = "is absolute; paths in a volume are relative to its root";
    } else if (path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
      why = "contains a backslash or NUL; separate directories with '/'";
    } else {
      why = null;
      for (String segment : path.split("/", -1)) {
        if (segment.equals("..")) {
          why = "contains '..', which would leave the volume";
          break;
        }
        if (segment.isEmpty() || segment.equals(".")) {
          why = "has an empty or '.' segment";
          break;
        }
        int bytes = segment.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_SEGMENT_BYTES) {
          why = "has a segment of " + bytes + " bytes in UTF-8 ('" + shown(segment) + "'); a segment may have at"
              + " most " + MAX_SEGMENT_BYTES + " bytes, the most a file system holds in one file name";
          break;
        }
      }
    }
    return why == null ? null : "path '" + path + "' in volume '" + volume + "' " + why;
  }

  /** The start of a long segment, for a message, not cut within a character. */
  private static String shown(String segment) {
    if (segment.length() <= SHOWN_SEGMENT_CHARS) {
      return segment;
    }
    int end = SHOWN_SEGMENT_CHARS - 1;
    return segment.substring(0, Character.isHighSurrogate(segment.charAt(end - 1)) ? end - 1 : end) + "…";
  }

  /**
   * The local file for {@code path} under a mount's {@code root}; refuses a path that breaks the rules (a control
   * plane could send one) or that would resolve outside the root.
   */
  public static Path resolve(Path root, String volume, String path) {
    String problem = pathProblem(volume, path);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    Path file = root.resolve(path).normalize();
    if (!file.startsWith(root)) {
      throw new IllegalArgumentException("path '" + path + "' resolves outside volume '" + volume + "'");
    }
    return file;
  }
}
