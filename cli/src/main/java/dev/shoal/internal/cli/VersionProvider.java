package dev.shoal.internal.cli;

import dev.shoal.protocol.ShoalVersion;
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

  /** This build's version. */
  static String version() {
    return ShoalVersion.VERSION;
  }
}
