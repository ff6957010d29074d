package dev.shoal.internal.codec.app;

import java.util.List;

/** A value class of the app's own package, used to test that the app's classes decode. */
public record AppOrder(String id, List<String> items) {}
