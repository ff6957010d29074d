package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.RunOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An app for the server tests; its main is a second process that talks to the same server. */
public final class ServerApp {
  public static final App app = App.named("server-app");

  public static final RemoteFunction<Integer, Integer> twice = app.function("twice", x -> {
    Thread.sleep(5);
    return x * 2;
  }, FunctionOptions.builder().concurrency(8).build());

  public static final RemoteFunction<Integer, Integer> slowTwice = app.function("slowTwice", x -> {
    Thread.sleep(40);
    return x * 2;
  }, FunctionOptions.builder().concurrency(4).build());

  /** A trivial function, for measuring the engine rather than the work. */
  public static final RemoteFunction<Integer, Integer> fast = app.function("fast", x -> x + 1,
      FunctionOptions.builder().concurrency(16).build());

  /**
   * Tries, from inside its container and with the container's own credential, to stop the app whose id it is
   * given; returns "allowed" or the status it was refused with.
   */
  public static final RemoteFunction<String, String> stopFromInside = app.function("stopFromInside", appId -> {
    try {
      dev.shoal.internal.client.Engines.current().blocking()
          .stopApp(dev.shoal.protocol.v1.StopAppRequest.newBuilder().setAppId(appId).build());
      return "allowed";
    } catch (io.grpc.StatusRuntimeException e) {
      return e.getStatus().getCode() + ": " + e.getStatus().getDescription();
    }
  });

  /** Returns once the file it is given exists (at most a minute): a call that finishes when a test says so. */
  public static final RemoteFunction<String, String> awaitFile = app.function("awaitFile", path -> {
    java.nio.file.Path file = java.nio.file.Path.of(path);
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    while (!java.nio.file.Files.exists(file) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return java.nio.file.Files.exists(file) ? "found" : "gave up";
  });

  private ServerApp() {}

  /**
   * What a second process does, by its first argument: {@code spawn N} spawns N calls and prints their ids;
   * {@code get ID} prints a call's result; {@code lookup} calls the deployed function by name;
   * {@code hold} and {@code detach} start a run, print its id and wait to be killed or exit at once.
   */
  public static void main(String[] args) throws InterruptedException {
    switch (args[0]) {
      case "spawn" -> {
        AppRun run = app.run(RunOptions.builder().detach(true).build());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
          ids.add(twice.spawn(i).id());
        }
        System.out.println("RUN " + run.appId());
        System.out.println("IDS " + String.join(" ", ids));
      }
      case "spawnslow" -> {
        AppRun run = app.run(RunOptions.builder().detach(true).build());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
          ids.add(slowTwice.spawn(i).id());
        }
        System.out.println("RUN " + run.appId());
        System.out.println("IDS " + String.join(" ", ids));
      }
      case "get" -> System.out.println("RESULT " + FunctionCall.fromId(args[1]).get(Duration.ofSeconds(60)));
      case "lookup" -> System.out.println("RESULT "
          + RemoteFunction.<Integer, Integer>fromName("server-app", "twice").remote(21));
      case "hold" -> {
        AppRun run = app.run();
        System.out.println("RUN " + run.appId());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
      }
      case "detach" -> {
        AppRun run = app.run(RunOptions.builder().detach(true).build());
        System.out.println("RUN " + run.appId());
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.out.flush();
    System.exit(0);
  }
}
