package dev.shoal.internal.cli;

import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.client.ShoalConfig;
import dev.shoal.protocol.v1.AppSummary;
import dev.shoal.protocol.v1.ClientServiceGrpc;
import dev.shoal.protocol.v1.LogBatch;
import dev.shoal.protocol.v1.StreamLogsRequest;
import dev.shoal.protocol.v1.ListAppsRequest;
import dev.shoal.protocol.v1.RollbackAppRequest;
import dev.shoal.protocol.v1.RollbackAppResponse;
import dev.shoal.protocol.v1.StopAppRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal app list|history|rollback|stop|logs}: the apps on the configured server, in the configured
 * environment.
 */
@Command(name = "app", addMethodSubcommands = false, // ShoalCli adds them, the needed ones only
    description = "List, roll back and stop the apps on the server, and print their logs.")
final class AppCommand {
  private static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
  private static final String STOPPED = "stopped";

  @Command(name = "list", description = {
      "List the apps in the configured environment: the current version of each deployed app, and running",
      "and detached runs; --all adds older versions and stopped apps. Times are local."})
  int list(
      @Option(names = "--all", description = "include older versions and stopped apps") boolean all,
      @Option(names = "--json", description = "print JSON") boolean json) {
    List<AppSummary> apps = new ArrayList<>();
    if (ServerConnection.configured().isEmpty()) {
      System.err.println("shoal: note: " + ServerConnection.noServer("apps"));
    } else {
      apps.addAll(list(ServerConnection.require("apps")));
    }
    apps.removeIf(a -> !all && !a.getCurrent());
    apps.sort(Comparator.comparingLong(AppSummary::getCreatedAtMs));
    if (json) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (AppSummary a : apps) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.getAppId());
        m.put("name", a.getName());
        m.put("state", state(a));
        m.put("version", a.getVersion());
        m.put("current", a.getCurrent());
        m.put("createdAt", Instant.ofEpochMilli(a.getCreatedAtMs()).toString());
        m.put("functions", a.getFunctionsList());
        out.add(m);
      }
      System.out.println(Json.write(out));
      return ExitCodes.OK;
    }
    if (apps.isEmpty()) {
      System.out.println("No " + (all ? "" : "active ") + "apps in environment " + environment() + ".");
      return ExitCodes.OK;
    }
    Table table = new Table("ID", "NAME", "STATE", "VERSION", "CREATED", "FUNCTIONS");
    for (AppSummary a : apps) {
      table.row(a.getAppId(), a.getName(), state(a), a.getVersion() == 0 ? "-" : a.getVersion(),
          LOCAL_TIME.format(Instant.ofEpochMilli(a.getCreatedAtMs())), String.join(",", a.getFunctionsList()));
    }
    table.print(System.out);
    return ExitCodes.OK;
  }

  @Command(name = "history", description = {
      "List every version of a deployed app, newest first: the current one, older ones (superseded: they",
      "finish the calls made on them, with no warm containers) and stopped ones. Times are local."})
  int history(
      @Parameters(paramLabel = "NAME", description = "the app's name") String name,
      @Option(names = "--json", description = "print JSON") boolean json) {
    List<AppSummary> versions = list(ServerConnection.require("apps")).stream()
        .filter(a -> a.getName().equals(name) && a.getVersion() > 0)
        .sorted(Comparator.comparingInt(AppSummary::getVersion).reversed())
        .toList();
    if (versions.isEmpty()) {
      throw CliException.notFound("no deployed app named '" + name + "' in environment " + environment()
          + "; `shoal app list --all` shows every app");
    }
    if (json) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (AppSummary a : versions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", a.getVersion());
        m.put("id", a.getAppId());
        m.put("state", state(a));
        m.put("current", a.getCurrent());
        m.put("createdAt", Instant.ofEpochMilli(a.getCreatedAtMs()).toString());
        m.put("functions", a.getFunctionsList());
        out.add(m);
      }
      System.out.println(Json.write(out));
      return ExitCodes.OK;
    }
    Table table = new Table("VERSION", "ID", "STATE", "CREATED", "FUNCTIONS");
    for (AppSummary a : versions) {
      table.row(a.getVersion(), a.getAppId(), state(a) + (a.getCurrent() ? " (current)" : ""),
          LOCAL_TIME.format(Instant.ofEpochMilli(a.getCreatedAtMs())), String.join(",", a.getFunctionsList()));
    }
    table.print(System.out);
    return ExitCodes.OK;
  }

  @Command(name = "rollback", description = {
      "Make an older version of a deployed app current again: its definition (functions, classes, options,",
      "classpath) is deployed as a new version, which callers that look the app up by name reach from then",
      "on. Without VERSION, the version before the current one."})
  int rollback(
      @Parameters(index = "0", paramLabel = "NAME", description = "the app's name") String name,
      @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "the version to make current")
      Integer version,
      @Option(names = "--json", description = "print JSON") boolean json) {
    if (version != null && version < 1) {
      throw new CliException(ExitCodes.USAGE, "VERSION must be 1 or more, was " + version
          + "; `shoal app history " + name + "` lists the versions");
    }
    EngineConnection connection = ServerConnection.require("apps");
    RollbackAppResponse done = EngineCalls.rpc(() -> ServerConnection.blocking(connection, 60)
        .rollbackApp(RollbackAppRequest.newBuilder()
            .setEnvironment(connection.environment())
            .setAppName(name)
            .setVersion(version == null ? 0 : version)
            .build()));
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("name", name);
      out.put("id", done.getAppId());
      out.put("version", done.getVersion());
      out.put("fromVersion", done.getFromVersion());
      System.out.println(Json.write(out));
    } else {
      System.out.println("App " + name + " is at version " + done.getVersion() + " (" + done.getAppId()
          + "), made from version " + done.getFromVersion());
    }
    return ExitCodes.OK;
  }

  @Command(name = "stop", description = {
      "Stop an app: its unfinished calls are cancelled and its containers stop.",
      "A name stops the newest active app of that name."})
  int stop(
      @Parameters(paramLabel = "NAME|ID", description = "an app's name, or its id (ap-…)") String nameOrId,
      @Option(names = "--json", description = "print JSON") boolean json) {
    EngineConnection connection = ServerConnection.require("apps");
    List<AppSummary> apps = list(connection);
    Optional<AppSummary> target = apps.stream().filter(a -> a.getAppId().equals(nameOrId)).findFirst()
        .or(() -> apps.stream()
            .filter(a -> a.getName().equals(nameOrId) && !a.getState().equals(STOPPED))
            .max(Comparator.comparingLong(AppSummary::getCreatedAtMs).thenComparingInt(AppSummary::getVersion)));
    if (target.isEmpty()) {
      throw CliException.notFound("no active app named or with id '" + nameOrId + "' in environment "
          + environment() + "; `shoal app list` shows them");
    }
    AppSummary app = target.get();
    if (app.getState().equals(STOPPED)) {
      throw CliException.notFound("app " + app.getName() + " (" + app.getAppId() + ") is already stopped");
    }
    // Stopping waits for the app's containers to go, which may take a grace period of several seconds.
    ServerConnection.blocking(connection, 60).stopApp(StopAppRequest.newBuilder().setAppId(app.getAppId()).build());
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("id", app.getAppId());
      out.put("name", app.getName());
      out.put("version", app.getVersion());
      out.put("state", STOPPED);
      System.out.println(Json.write(out));
    } else {
      System.out.println("Stopped app " + app.getName() + " (" + app.getAppId()
          + (app.getVersion() == 0 ? "" : ", version " + app.getVersion()) + ")");
    }
    return ExitCodes.OK;
  }

  @Command(name = "logs", description = {
      "Print an app's log: what its containers printed, and their lifecycle events.",
      "A name shows the newest app of that name. The server keeps a bounded log per app, in memory:",
      "running apps and recently stopped ones, until it restarts. Times are local."})
  int logs(
      @Parameters(paramLabel = "NAME|ID", description = "an app's name, or its id (ap-…)") String nameOrId,
      @Option(names = {"-f", "--follow"}, description = "keep printing new lines until the app stops") boolean follow,
      @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class,
          description = "only lines from this long ago on, e.g. 10m") Duration since,
      @Option(names = "--function", paramLabel = "NAME", description = "only this function's lines") String function,
      @Option(names = "--call", paramLabel = "ID", description = "only the lines of this call (fc-…)") String call,
      @Option(names = "--json", description = "print one JSON object per line") boolean json) {
    EngineConnection connection = ServerConnection.require("logs");
    StreamLogsRequest.Builder request = StreamLogsRequest.newBuilder()
        .setApp(nameOrId)
        .setEnvironment(connection.environment())
        .setFollow(follow);
    if (since != null) {
      request.setSinceMs(System.currentTimeMillis() - since.toMillis());
    }
    if (function != null) {
      request.setFunction(function);
    }
    if (call != null) {
      request.setCallId(call);
    }
    ClientServiceGrpc.ClientServiceBlockingStub stub =
        follow ? connection.blocking() : ServerConnection.blocking(connection, 60);
    LogsOutput output = new LogsOutput(System.out, json);
    Iterator<LogBatch> batches = stub.streamLogs(request.build());
    while (batches.hasNext()) {
      output.print(batches.next());
    }
    return ExitCodes.OK;
  }

  /** The state to show: a deployed version that a newer one replaced is superseded. */
  private static String state(AppSummary a) {
    return a.getState().equals("deployed") && !a.getCurrent() ? "superseded" : a.getState();
  }

  private static List<AppSummary> list(EngineConnection connection) {
    return ServerConnection.blocking(connection, 30)
        .listApps(ListAppsRequest.newBuilder().setEnvironment(connection.environment()).build())
        .getAppsList();
  }

  private static String environment() {
    return ShoalConfig.load().environment();
  }
}
