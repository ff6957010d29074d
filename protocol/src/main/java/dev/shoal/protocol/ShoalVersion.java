package dev.shoal.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The Shoal version of this build, as Maven filtered it into version.properties: one reader for every module (the
 * engine answers ListApps with it, the CLI prints it, the Spring Boot starter's health check shows it).
 */
public final class ShoalVersion {
  /** The version, or "unknown" where the build recorded none. */
  public static final String VERSION = read();

  private ShoalVersion() {}

  private static String read() {
    try (InputStream in = ShoalVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Shoal's version.properties", e);
    }
  }
}
