package dev.shoal.codectest.model;

/** A record of the fat-jar app's own, in the package beside the app class's: the app's own by the parent rule. */
public record Shipment(String id, int parcels) {}
