package dev.shoal;

import java.util.Locale;
import java.util.Optional;

/** How {@link App#run(RunOptions)} runs an app. */
public final class RunOptions {
  private final Boolean detach;
  private final Boolean output;
  private final Backend backend;
  private final Boolean dashboard;
  private final Boolean keepDashboard;

  private RunOptions(Boolean detach, Boolean output, Backend backend, Boolean dashboard, Boolean keepDashboard) {
    this.detach = detach;
    this.output = output;
    this.backend = backend;
    this.dashboard = dashboard;
    this.keepDashboard = keepDashboard;
  }

  public static RunOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.output = output;
    b.detach = detach;
    b.backend = backend;
    b.dashboard = dashboard;
    b.keepDashboard = keepDashboard;
    return b;
  }

  /**
   * Whether the app keeps running after the caller disconnects: as set here, else as {@code SHOAL_DETACH} or the
   * {@code shoal.detach} system property says ({@code 1} or {@code true}; {@code shoal run --detach} sets it).
   */
  public boolean detach() {
    if (detach != null) {
      return detach;
    }
    return flag("shoal.detach", "SHOAL_DETACH");
  }

  /**
   * Whether what the run's containers print, and their lifecycle events, are shown on the caller's stderr (see
   * {@link Output}): as set here, else as {@code SHOAL_OUTPUT} or the {@code shoal.output} system property says
   * ({@code 1} or {@code true}; {@code shoal run --output} sets it). Off by default.
   */
  public boolean output() {
    if (output != null) {
      return output;
    }
    return flag("shoal.output", "SHOAL_OUTPUT");
  }

  /**
   * Whether the embedded engine serves its dashboard for this run and prints its address on stderr: as set here,
   * else as {@code SHOAL_DASHBOARD} or the {@code shoal.dashboard} system property says ({@code 1} or
   * {@code true}, or {@code keep}: see {@link #keepDashboard}). Off by default; {@code SHOAL_DASHBOARD_PORT} picks
   * its port. The dashboard closes with the run. A server serves its own.
   */
  public boolean dashboard() {
    if (dashboard != null) {
      return dashboard || Boolean.TRUE.equals(keepDashboard);
    }
    return keepDashboard() || flag("shoal.dashboard", "SHOAL_DASHBOARD");
  }

  /**
   * Whether the embedded engine's dashboard stays open after the run has ended, until the JVM is stopped (Ctrl-C),
   * so that a finished job can still be looked at: as set here, else whether {@code SHOAL_DASHBOARD} or the
   * {@code shoal.dashboard} system property is {@code keep}. It implies {@link #dashboard}.
   */
  public boolean keepDashboard() {
    if (keepDashboard != null || Boolean.FALSE.equals(dashboard)) {
      return Boolean.TRUE.equals(keepDashboard);
    }
    String configured = Optional.ofNullable(System.getProperty("shoal.dashboard"))
        .orElse(System.getenv("SHOAL_DASHBOARD"));
    return configured != null && configured.strip().equalsIgnoreCase("keep");
  }

  private static boolean flag(String property, String variable) {
    String configured = Optional.ofNullable(System.getProperty(property)).orElse(System.getenv(variable));
    return configured != null && (configured.strip().equals("1") || configured.strip().equalsIgnoreCase("true"));
  }

  /**
   * The kind of container the embedded engine uses: as set here, else as the {@code SHOAL_BACKEND} environment
   * variable ({@code processes} or {@code threads}) or the {@code shoal.backend} system property says, else
   * processes.
   */
  public Backend backend() {
    if (backend != null) {
      return backend;
    }
    String configured = Optional.ofNullable(System.getProperty("shoal.backend")).orElse(System.getenv("SHOAL_BACKEND"));
    if (configured == null || configured.isBlank()) {
      return Backend.PROCESSES;
    }
    try {
      return Backend.valueOf(configured.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException("SHOAL_BACKEND must be processes or threads, was '" + configured + "'");
    }
  }

  /** Builds {@link RunOptions}. */
  public static final class Builder {
    private Boolean detach;
    private Boolean output;
    private Backend backend;
    private Boolean dashboard;
    private Boolean keepDashboard;

    private Builder() {}

    public Builder detach(boolean detach) {
      this.detach = detach;
      return this;
    }

    public Builder output(boolean output) {
      this.output = output;
      return this;
    }

    public Builder backend(Backend backend) {
      this.backend = Checks.notNull("backend", backend);
      return this;
    }

    public Builder dashboard(boolean dashboard) {
      this.dashboard = dashboard;
      return this;
    }

    /** Keeps the dashboard open after the run, which implies serving it; see {@link RunOptions#keepDashboard}. */
    public Builder keepDashboard(boolean keep) {
      this.keepDashboard = keep;
      return this;
    }

    public RunOptions build() {
      return new RunOptions(detach, output, backend, dashboard, keepDashboard);
    }
  }
}
