package dev.shoal.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The system properties that point this JVM's client at a test engine, and what they held before. The SDK reads
 * them on each call ({@code ShoalConfig}), above the variables and the profile file, so a developer's own
 * configuration cannot send a test's calls to a real server.
 */
final class EngineProperties {
  private final Map<String, String> before;

  private EngineProperties(Map<String, String> before) {
    this.before = before;
  }

  static EngineProperties point(String target, String token) {
    Map<String, String> wanted = new LinkedHashMap<>();
    wanted.put("shoal.server", target);
    wanted.put("shoal.token", token);
    wanted.put("shoal.environment", "main");
    Map<String, String> before = new LinkedHashMap<>();
    wanted.forEach((key, value) -> {
      before.put(key, System.getProperty(key));
      System.setProperty(key, value);
    });
    return new EngineProperties(before);
  }

  void restore() {
    before.forEach((key, value) -> {
      if (value == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, value);
      }
    });
  }
}
