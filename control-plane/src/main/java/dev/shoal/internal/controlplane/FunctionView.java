package dev.shoal.internal.controlplane;

import java.util.List;
import java.util.Map;

/**
 * A function with its options, containers and their recent lifecycle events.
 *
 * @param options the options it was defined with; environment variables by name only, since their values may be
 *     secrets
 * @param events the newest lifecycle events of its containers, oldest first
 */
public record FunctionView(FunctionSummary summary, Map<String, Object> options, LatencyView latency,
    List<ContainerInfo> containers, List<LogLine> events, List<CallSummary> recentCalls) {}
