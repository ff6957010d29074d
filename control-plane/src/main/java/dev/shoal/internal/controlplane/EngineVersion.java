package dev.shoal.internal.controlplane;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The Shoal version of this engine, as Maven filtered it into version.properties at build time. */
final class EngineVersion {
  static final String VERSION = read();

  private EngineVersion() {}

  private static String read() {
    try (InputStream in = EngineVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the engine's version.properties", e);
    }
  }
}
