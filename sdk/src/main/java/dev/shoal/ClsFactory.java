package dev.shoal;

/**
 * Creates the instance of a {@link Cls} that a container serves: Modal's {@code @enter}. It runs once per
 * container, before the container takes its first input, so it is the place to load something expensive (a model,
 * a connection pool). It may throw; the container then fails to start, and after a few attempts the callers
 * receive the error.
 */
@FunctionalInterface
public interface ClsFactory<T> {
  T create() throws Exception;
}
