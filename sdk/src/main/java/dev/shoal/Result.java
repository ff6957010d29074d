package dev.shoal;

/**
 * The outcome of one input of a map: its value, or the error it failed with. {@code mapResults} yields these so
 * that one failure does not end the whole map.
 */
public sealed interface Result<O> {
  boolean isSuccess();

  /** The value of a success; a failure throws its error. */
  O value();

  /** A successful input and its value. */
  record Success<O>(O value) implements Result<O> {
    @Override
    public boolean isSuccess() {
      return true;
    }
  }

  /** A failed input and its error. */
  record Failure<O>(ShoalException error) implements Result<O> {
    public Failure {
      if (error == null) {
        throw new IllegalArgumentException("error must not be null");
      }
    }

    @Override
    public boolean isSuccess() {
      return false;
    }

    @Override
    public O value() {
      throw error;
    }
  }
}
