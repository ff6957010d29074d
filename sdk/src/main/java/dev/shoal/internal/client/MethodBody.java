package dev.shoal.internal.client;

/**
 * The body of a method of a {@link RegisteredCls}, taking the container's instance and the decoded argument. The
 * body of a batched method takes a {@code List} of arguments and returns a {@code List} of results.
 */
@FunctionalInterface
public interface MethodBody {
  Object invoke(Object self, Object argument) throws Exception;
}
