package dev.shoal.internal.client;

/** The body of a registered function, taking its decoded argument (a value, or an {@code Args2}/{@code Args3}). */
@FunctionalInterface
public interface FunctionBody {
  Object invoke(Object argument) throws Exception;
}
