package dev.shoal;

/**
 * A deployed app: its name, and the version this deployment made.
 *
 * @param appName the name lookups use
 * @param version 1 for the first deployment of the name, then one more each time
 * @param appId the id of this version on the engine
 */
public record Deployment(String appName, int version, String appId) {}
