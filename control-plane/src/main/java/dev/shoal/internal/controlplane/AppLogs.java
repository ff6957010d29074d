package dev.shoal.internal.controlplane;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The logs of every app this control plane has run, in memory. Each app's log is bounded by
 * {@link #bytesPerApp}; the logs of stopped apps are kept until {@link #keptStoppedApps} newer ones stopped, so
 * that {@code shoal app logs} can read a run after it ended. Logs do not survive a restart of the control plane.
 */
final class AppLogs {
  /** The default budget of one app's log: {@code shoal.logs.bytesPerApp}, else 8 MiB. */
  static final long DEFAULT_BYTES_PER_APP = 8L * 1024 * 1024;
  static final int DEFAULT_KEPT_STOPPED_APPS = 32;

  private final long bytesPerApp;
  private final int keptStoppedApps;
  // Guarded by this; in the order apps started.
  private final Map<String, AppLog> logs = new LinkedHashMap<>();

  AppLogs(long bytesPerApp, int keptStoppedApps) {
    if (bytesPerApp < AppLog.ENTRY_OVERHEAD_BYTES) {
      throw new IllegalArgumentException("the log budget per app must be at least "
          + AppLog.ENTRY_OVERHEAD_BYTES + " bytes, was " + bytesPerApp);
    }
    this.bytesPerApp = bytesPerApp;
    this.keptStoppedApps = keptStoppedApps;
  }

  /** The budget configured by the {@code shoal.logs.bytesPerApp} system property, else the default. */
  static long configuredBytesPerApp() {
    String configured = System.getProperty("shoal.logs.bytesPerApp");
    if (configured == null || configured.isBlank()) {
      return DEFAULT_BYTES_PER_APP;
    }
    try {
      return Long.parseLong(configured.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("shoal.logs.bytesPerApp must be a number of bytes, was '" + configured + "'");
    }
  }

  /** The log of an app, made on first use. */
  synchronized AppLog open(String appId, String appName, String environment) {
    return logs.computeIfAbsent(appId, id -> new AppLog(id, appName, environment, bytesPerApp));
  }

  /** Closes an app's log, and forgets the oldest stopped apps' logs beyond what is kept. */
  synchronized void stopped(AppLog log) {
    log.close();
    List<AppLog> stopped = new ArrayList<>();
    for (AppLog l : logs.values()) {
      if (l.closed()) {
        stopped.add(l);
      }
    }
    for (int i = 0; i < stopped.size() - keptStoppedApps; i++) {
      logs.remove(stopped.get(i).appId);
    }
  }

  /** The log of an app by id ({@code ap-…}), or of the newest app of that name in the environment. */
  synchronized AppLog find(String nameOrId, String environment) {
    AppLog byId = logs.get(nameOrId);
    if (byId != null) {
      return byId;
    }
    AppLog newest = null;
    for (AppLog l : logs.values()) {
      if (l.appName.equals(nameOrId) && l.environment.equals(environment)) {
        newest = l;
      }
    }
    if (newest == null) {
      throw CoreException.notFound("no logs of an app named or with id '" + nameOrId + "' in environment "
          + environment + "; logs are kept in memory for running apps and the last " + keptStoppedApps
          + " stopped ones, until the server restarts");
    }
    return newest;
  }
}
