package dev.shoal.internal.client;

import dev.shoal.protocol.v1.FunctionDefinition;

/** A function as a container sees it: what to schedule and what to run. */
public record RegisteredFunction(String name, FunctionDefinition definition, FunctionBody body) {}
