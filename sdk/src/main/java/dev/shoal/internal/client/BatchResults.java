package dev.shoal.internal.client;

import java.util.List;

/** The rule a batched body's result must follow: a list with one result per input, in input order. */
public final class BatchResults {
  private BatchResults() {}

  /**
   * Why {@code results} breaks the rule for a batch of {@code inputs} inputs, or null if it does not.
   *
   * @param what how to name the body in the message, such as {@code "batched function embed"}
   */
  public static String mismatch(String what, Object results, int inputs) {
    String batch = "a batch of " + inputs + (inputs == 1 ? " input" : " inputs");
    if (results == null) {
      return what + " returned null for " + batch + "; it must return a list with one result per input, in order";
    }
    if (!(results instanceof List<?> list)) {
      return what + " returned a " + results.getClass().getName() + " for " + batch
          + "; it must return a list with one result per input, in order";
    }
    if (list.size() != inputs) {
      return what + " returned " + list.size() + (list.size() == 1 ? " result" : " results") + " for " + batch
          + "; it must return one per input, in order";
    }
    return null;
  }
}
