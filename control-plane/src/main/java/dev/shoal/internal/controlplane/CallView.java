package dev.shoal.internal.controlplane;

import java.util.List;

/**
 * A call with its inputs and failures.
 *
 * @param inputs the first {@link CallActivity#TRACKED_INPUTS} inputs, in the order they arrived
 * @param failures the first failed inputs, each with its remote stack trace
 * @param inputsTruncated whether the call has more inputs than {@code inputs} lists
 */
public record CallView(CallSummary summary, List<InputView> inputs, List<InputView> failures,
    boolean inputsTruncated) {}
