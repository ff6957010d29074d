package dev.shoal.internal.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code shoal --version}: the CLI's version, and the Java that runs it (which is the one jobs run on). */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
        "shoal " + version(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ") at "
            + System.getProperty("java.home"),
    };
  }

  /** The version Maven filtered into version.properties at build time. */
  static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CLI's version.properties", e);
    }
  }
}
