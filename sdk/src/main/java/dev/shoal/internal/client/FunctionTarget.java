package dev.shoal.internal.client;

/** Where the calls of one function go: the engine's connection and the function's id in its run. */
public record FunctionTarget(EngineConnection connection, String functionId) {}
