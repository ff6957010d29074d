package dev.shoal.internal.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * An internal failure to encode that collects, while it propagates, the path from the top-level
 * value down to the offending one; {@link Codec#encode} turns it into a {@link CodecException}.
 *
 * <p>Each composite value adds its own step in a catch block as the error passes through, which
 * costs nothing on the successful path. It has no stack trace, since only the path matters.
 */
final class EncodeError extends RuntimeException {
  private static final int MAX_PATH_CHARS = 300;

  /** One step of the path: a field of a class, or an element of a collection, map or array. */
  private record Step(String owner, String field, String container, String element) {}

  private final String className;
  private final String reason;
  /** The object at which the depth limit was reached, to recognise a cycle on the way up. */
  private final Object deepObject;
  private boolean cyclic;
  private final List<Step> steps = new ArrayList<>();

  private EncodeError(String className, String reason, Object deepObject) {
    super(null, null, false, false);
    this.className = className;
    this.reason = reason;
    this.deepObject = deepObject;
  }

  static EncodeError refused(Class<?> type, String reason) {
    return new EncodeError(type.getName(), reason, null);
  }

  static EncodeError tooDeep(Object value) {
    return new EncodeError(value.getClass().getName(), null, value);
  }

  /** Adds the field through which the error passed, in the object that holds it. */
  EncodeError atField(FieldSlot slot, Object container) {
    steps.add(new Step(slot.owner, slot.name, null, null));
    return seen(container);
  }

  /** Adds the element through which the error passed, such as "[3]" in a "list". */
  EncodeError atElement(String containerKind, String element, Object container) {
    steps.add(new Step(null, null, containerKind, element));
    return seen(container);
  }

  private EncodeError seen(Object container) {
    if (deepObject != null && container == deepObject) {
      cyclic = true;
    }
    return this;
  }

  @Override
  public String getMessage() {
    String why = reason != null ? reason
        : cyclic ? "the object graph is cyclic (an object refers, directly or through others, to"
            + " itself); the codec sends trees of values, not graphs with cycles"
        : "the object graph is more than " + Encoder.MAX_DEPTH + " levels deep";
    return "cannot serialise " + className + " (at " + path() + "): " + why;
  }

  private String path() {
    if (steps.isEmpty()) {
      return "top level";
    }
    StringBuilder sb = new StringBuilder();
    boolean afterField = false;
    // Steps were added from the innermost outwards, so read them backwards.
    for (int i = steps.size() - 1; i >= 0; i--) {
      Step s = steps.get(i);
      if (s.owner != null) {
        if (afterField) {
          sb.append('.').append(s.field);
        } else {
          if (!sb.isEmpty()) {
            sb.append(" > ");
          }
          sb.append(s.owner).append('.').append(s.field);
        }
        afterField = true;
      } else {
        if (sb.isEmpty()) {
          sb.append(s.container);
        }
        sb.append(s.element);
        afterField = false;
      }
    }
    if (sb.length() > MAX_PATH_CHARS) {
      int keep = MAX_PATH_CHARS / 2;
      return sb.substring(0, keep) + " … " + sb.substring(sb.length() - keep);
    }
    return sb.toString();
  }
}
