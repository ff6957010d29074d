package dev.shoal.internal.store;

/** That a call's input is being tried for the {@code attempt}-th time. */
public record CallAttempt(String callId, int attempt) {}
