package dev.shoal.internal.client;

/**
 * The body of a registered function, taking its decoded argument (a value, or an {@code Args2}/{@code Args3}). The
 * body of a batched function (its definition has a {@code batch_max_size}) takes a {@code List} of arguments and
 * returns a {@code List} of results.
 */
@FunctionalInterface
public interface FunctionBody {
  Object invoke(Object argument) throws Exception;
}
