package dev.shoal.internal.cli;

import dev.shoal.CallStatus;
import dev.shoal.CallTimeoutException;
import dev.shoal.CancelledException;
import dev.shoal.FunctionCall;
import dev.shoal.FunctionTimeoutException;
import dev.shoal.RemoteException;
import dev.shoal.RemoteFunction;
import dev.shoal.Result;
import dev.shoal.SpawnedMap;
import dev.shoal.internal.codec.CodecException;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code shoal call APP FUNCTION [ARGS…]}: calls a deployed function; {@code shoal call get|status|results|cancel
 * ID}: a spawned call, by the id {@code spawn} gave ({@code fc-…}).
 */
@Command(name = "call", addMethodSubcommands = false, // ShoalCli adds them, the needed ones only
    description = {
    "Call a deployed function: shoal call APP FUNCTION [ARGS…], each argument JSON (a word that is",
    "not JSON is a string); --spawn prints the call's id at once. Or get the result or status of a",
    "spawned call, or cancel it."})
final class CallCommand implements Callable<Integer> {
  private static final Pattern ID = Pattern.compile("fc-[A-Za-z0-9]{1,64}");

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "APP", description = "a deployed app's name")
  String app;

  @Parameters(index = "1", arity = "0..1", paramLabel = "FUNCTION", description = "its function's name")
  String function;

  @Parameters(index = "2..*", paramLabel = "ARGS", description = "1 to 3 arguments, as JSON")
  List<String> args = new ArrayList<>();

  @Option(names = "--spawn", description = "spawn the call and print its id instead of waiting")
  boolean spawn;

  @Option(names = {"--classpath", "-cp"}, paramLabel = "CP",
      description = "the app's classes, to decode a result of the app's own types")
  String classpath;

  @Option(names = "--json", description = "print JSON: {app, function, status, result, resultType} or {…, id}")
  boolean json;

  /** Calls a deployed function with arguments from the command line. */
  @Override
  public Integer call() {
    if (app == null || function == null) {
      throw new ParameterException(spec.commandLine(), "name a deployed app and its function (shoal call APP"
          + " FUNCTION ARGS…), or a call's subcommand: get, status, results or cancel");
    }
    if (args.isEmpty() || args.size() > 3) {
      throw new ParameterException(spec.commandLine(), "give the function's 1 to 3 arguments as JSON after its"
          + " name, was " + args.size() + ": shoal call " + app + " " + function + " 21");
    }
    if (classpath != null) {
      // Before the arguments: a record named by "@type" is made from the app's classes.
      Thread.currentThread().setContextClassLoader(loader(classpath));
    }
    Object input;
    try {
      input = CallArguments.input(args);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    ServerConnection.require("calls");
    RemoteFunction<Object, Object> target = RemoteFunction.fromName(app, function);
    String name = app + "." + function;
    if (spawn) {
      FunctionCall<Object> spawned = target.spawn(input);
      Confirmation.print(json, spawned.id(), "app", app, "function", function, "id", spawned.id());
      return ExitCodes.OK;
    }
    Object value;
    try {
      value = target.remote(input);
    } catch (RemoteException | FunctionTimeoutException | CancelledException e) {
      return failed(name, e, json);
    } catch (RuntimeException e) {
      if (e.getCause() instanceof CodecException) {
        throw CliException.failed("the result of " + name + " cannot be decoded here: " + e.getMessage()
            + ". If it is of the app's own classes, pass them with --classpath");
      }
      throw e;
    }
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("app", app);
      out.put("function", function);
      out.put("status", "succeeded");
      out.put("result", Json.renderable(value));
      out.put("resultType", value == null ? null : value.getClass().getName());
      System.out.println(Json.write(out));
    } else {
      System.out.println(value);
    }
    return ExitCodes.OK;
  }

  @Command(name = "get", description = {
      "Wait for a call's result and print it (with toString()).",
      "A failed call prints the remote error and exits with 1; so does a call not done within the timeout.",
      "A result no longer kept exits with 3."})
  int get(
      @Parameters(paramLabel = "ID", description = "the call's id, fc-…") String id,
      @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
          description = "how long to wait: 0 checks once, 30s, 5m… (default: ${DEFAULT-VALUE})") Duration timeout,
      @Option(names = {"--classpath", "-cp"}, paramLabel = "CP",
          description = "the app's classes, to decode results of the app's own types") String classpath,
      @Option(names = "--json", description = "print JSON: {id, status, result, resultType} or {id, status, error}")
      boolean json) {
    FunctionCall<Object> call = call("get", id);
    if (classpath != null) {
      // The SDK decodes an app's own types with the context class loader (the app class is named in the result).
      Thread.currentThread().setContextClassLoader(loader(classpath));
    }
    Object value;
    try {
      value = call.get(timeout);
    } catch (CallTimeoutException e) {
      throw CliException.failed("call " + id + " has not finished within " + format(timeout) + "; wait longer with"
          + " --timeout 10m, or check on it with `shoal call status " + id + "`");
    } catch (RemoteException | FunctionTimeoutException | CancelledException e) {
      return failed(id, e, json);
    } catch (RuntimeException e) {
      if (e.getCause() instanceof CodecException) {
        throw CliException.failed("the result of call " + id + " cannot be decoded here: " + e.getMessage()
            + ". If it is of the app's own classes, pass them with --classpath");
      }
      throw e;
    }
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("id", id);
      out.put("status", "succeeded");
      out.put("result", Json.renderable(value));
      out.put("resultType", value == null ? null : value.getClass().getName());
      System.out.println(Json.write(out));
    } else {
      System.out.println(value);
    }
    return ExitCodes.OK;
  }

  private static int failed(String id, RuntimeException e, boolean json) {
    String status = failureStatus(e);
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("id", id);
      out.put("status", status);
      out.put("error", error(e));
      System.out.println(Json.write(out));
    } else if (e instanceof RemoteException r) {
      System.err.println("shoal: call " + id + " failed: " + r.getMessage());
      System.err.print(r.remoteStackTrace());
    } else {
      String message = e.getMessage();
      System.err.println("shoal: " + (message.contains(id) ? message
          : "call " + id + " " + status.replace('_', ' ') + ": " + message));
    }
    return ExitCodes.FAILED;
  }

  @Command(name = "results", description = {
      "Print each input's result of a detached map (spawnMap) as a JSON line, in input order",
      "(or as inputs finish, with --unordered):",
      "{index, status: succeeded, result, resultType} or {index, status: failed|timed_out|cancelled, error}.",
      "Waits for inputs that have not finished. A result no longer kept exits with 3."})
  int results(
      @Parameters(paramLabel = "ID", description = "the map's id, fc-…") String id,
      @Option(names = "--unordered", description = "as inputs finish, rather than in input order")
      boolean unordered,
      @Option(names = {"--classpath", "-cp"}, paramLabel = "CP",
          description = "the app's classes, to decode results of the app's own types") String classpath) {
    if (!ID.matcher(id).matches()) {
      throw new ParameterException(spec.commandLine().getSubcommands().get("results"),
          "a map id looks like fc-…, was '" + id + "'");
    }
    ServerConnection.require("detached maps");
    if (classpath != null) {
      Thread.currentThread().setContextClassLoader(loader(classpath));
    }
    SpawnedMap map = SpawnedMap.fromId(id);
    if (unordered) {
      for (SpawnedMap.IndexedResult<Object> r : map.<Object>unorderedResults()) {
        printMapResult(r.index(), r.result());
      }
      return ExitCodes.OK;
    }
    long index = 0;
    for (Result<Object> result : map.<Object>results()) {
      printMapResult(index++, result);
    }
    return ExitCodes.OK;
  }

  /** One input's result as a JSON line. */
  private static void printMapResult(long index, Result<Object> result) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("index", index);
    if (result instanceof Result.Success<Object> success) {
      Object value = success.value();
      out.put("status", "succeeded");
      out.put("result", Json.renderable(value));
      out.put("resultType", value == null ? null : value.getClass().getName());
    } else if (result instanceof Result.Failure<Object> failure) {
      out.put("status", failureStatus(failure.error()));
      out.put("error", error(failure.error()));
    }
    System.out.println(Json.write(out));
  }

  /** How a call or input that did not succeed ended: failed, timed_out or cancelled. */
  private static String failureStatus(RuntimeException e) {
    return e instanceof RemoteException ? "failed" : e instanceof FunctionTimeoutException ? "timed_out" : "cancelled";
  }

  /** The JSON {type, message} of a failure: the remote exception's own for a failed body. */
  private static Map<String, Object> error(RuntimeException e) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", e instanceof RemoteException r ? r.remoteType() : e.getClass().getSimpleName());
    error.put("message", e instanceof RemoteException r ? r.remoteMessage() : e.getMessage());
    return error;
  }

  @Command(name = "status", description = "Print where a call stands: pending, running, succeeded, failed,"
      + " cancelled or timed_out.")
  int status(
      @Parameters(paramLabel = "ID", description = "the call's id, fc-…") String id,
      @Option(names = "--json", description = "print JSON: {id, status, done}") boolean json) {
    CallStatus status = call("status", id).status();
    String name = status.name().toLowerCase(Locale.ROOT);
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("id", id);
      out.put("status", name);
      out.put("done", status.isTerminal());
      System.out.println(Json.write(out));
    } else {
      System.out.println(name);
    }
    return ExitCodes.OK;
  }

  @Command(name = "cancel", description = "Cancel a call: a queued input never runs; a running one's result"
      + " becomes a cancellation.")
  int cancel(
      @Parameters(paramLabel = "ID", description = "the call's id, fc-…") String id,
      @Option(names = "--terminate", description = "also stop the containers running it (their other inputs are"
          + " queued again)") boolean terminate,
      @Option(names = "--json", description = "print JSON: {id, cancelled, terminated}") boolean json) {
    call("cancel", id).cancel(terminate);
    Confirmation.print(json, "Cancelled call " + id, "id", id, "cancelled", true, "terminated", terminate);
    return ExitCodes.OK;
  }

  private FunctionCall<Object> call(String subcommand, String id) {
    if (!ID.matcher(id).matches()) {
      throw new ParameterException(spec.commandLine().getSubcommands().get(subcommand),
          "a call id looks like fc-…, was '" + id + "'");
    }
    ServerConnection.require("calls");
    return FunctionCall.fromId(id);
  }

  private static ClassLoader loader(String classpath) {
    List<URL> urls = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        try {
          urls.add(Path.of(entry).toAbsolutePath().toUri().toURL());
        } catch (MalformedURLException e) {
          throw CliException.failed("--classpath entry '" + entry + "' is not a path");
        }
      }
    }
    return new URLClassLoader(urls.toArray(URL[]::new), CallCommand.class.getClassLoader());
  }

  private static String format(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
