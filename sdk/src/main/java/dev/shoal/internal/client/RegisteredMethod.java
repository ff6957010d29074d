package dev.shoal.internal.client;

/**
 * A method of a {@link RegisteredCls}.
 *
 * @param batched whether the body takes a list of arguments and returns a list of results, one per argument
 */
public record RegisteredMethod(String name, MethodBody body, boolean batched) {}
