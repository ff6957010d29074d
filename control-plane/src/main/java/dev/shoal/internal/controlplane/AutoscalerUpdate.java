package dev.shoal.internal.controlplane;

/**
 * New scaling settings for a running function pool; a null setting keeps its value.
 *
 * @param maxContainers 0 removes the cap
 */
public record AutoscalerUpdate(Integer minContainers, Integer maxContainers, Integer bufferContainers,
    Long scaledownWindowMillis) {}
