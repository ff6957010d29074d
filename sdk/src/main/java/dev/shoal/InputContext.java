package dev.shoal;

/**
 * Who is running: the input, call and container behind the code that asks {@link Shoal#context()}. Use these
 * ids to make side effects idempotent, since an input may run more than once.
 *
 * @param inputId the input's id, stable across its attempts
 * @param functionCallId the id of the call the input belongs to ({@code fc-…})
 * @param attempt 1 for the first try, 2 for the first retry, and so on
 * @param containerId the container running this attempt
 */
public record InputContext(String inputId, String functionCallId, int attempt, String containerId) {}
