package dev.shoal.internal.controlplane;

/** How a function id names a pool, and in a Cls pool one of its methods. */
final class FunctionIds {
  private FunctionIds() {}

  /** The pool's id in a function id: a Cls method is called through its pool's id, a slash and its name. */
  static String poolIdOf(String functionId) {
    int slash = functionId.indexOf('/');
    return slash < 0 ? functionId : functionId.substring(0, slash);
  }

  /** The method a function id calls in a Cls pool; empty for a plain function. */
  static String methodOf(String functionId) {
    int slash = functionId.indexOf('/');
    return slash < 0 ? "" : functionId.substring(slash + 1);
  }
}
