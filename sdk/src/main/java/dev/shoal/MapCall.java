package dev.shoal;

import java.util.List;
import java.util.stream.Stream;

/**
 * The results of a map, produced lazily as the caller iterates. Inputs are sent as the in-flight window allows,
 * so memory stays bounded however many inputs there are. Closing it, or leaving its loop early through
 * {@link #stream()}'s close, cancels the inputs whose results were not taken.
 */
public interface MapCall<O> extends Iterable<O>, AutoCloseable {
  /** The results as a sequential stream; closing the stream closes this map. */
  Stream<O> stream();

  /** Waits for every result and returns them in a list. */
  List<O> toList();

  /**
   * Cancels every input whose result has not been taken yet: queued ones never run, and running ones are stopped
   * as {@link FunctionCall#cancel()} stops a call.
   */
  @Override
  void close();
}
