package dev.shoal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** A map that yields plain values: the first failure is thrown, and the rest of the map is cancelled. */
final class ValueMapCall<O> implements MapCall<O> {
  private final MapCall<Result<O>> results;

  ValueMapCall(MapCall<Result<O>> results) {
    this.results = results;
  }

  @Override
  public Iterator<O> iterator() {
    Iterator<Result<O>> it = results.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public O next() {
        Result<O> r = it.next();
        if (r instanceof Result.Failure<O> f) {
          results.close();
          throw f.error();
        }
        return r.value();
      }
    };
  }

  @Override
  public Stream<O> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false)
        .onClose(this::close);
  }

  @Override
  public List<O> toList() {
    List<O> all = new ArrayList<>();
    try (this) {
      forEach(all::add);
    }
    return all;
  }

  @Override
  public void close() {
    results.close();
  }
}
