package dev.shoal.it.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Message;
import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.NotFoundException;
import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ShoalServer;
import dev.shoal.it.MarkerRuns;
import dev.shoal.it.RawCalls;
import dev.shoal.it.apps.ScopeProbeApp;
import dev.shoal.protocol.v1.ClientServiceGrpc;
import dev.shoal.protocol.v1.ContainerServiceGrpc;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.ListAppsRequest;
import dev.shoal.protocol.v1.RegisterFunctionsRequest;
import dev.shoal.protocol.v1.StartAppRequest;
import dev.shoal.protocol.v1.StopAppRequest;
import dev.shoal.protocol.v1.VolumeServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status.Code;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every RPC of every service (ClientService, ContainerService, VolumeService) sent random and mutated messages
 * ({@link RandomMessages}), streams sent their messages in any order, through a real {@link ShoalServer} on embedded
 * PostgreSQL: with no credential, with wrong ones, with a live container's credential and with the server's token.
 *
 * <p>What must hold: without a valid credential every answer is UNAUTHENTICATED and nothing runs (a StartApp of
 * {@link dev.shoal.it.apps.MarkerApp} among the refused requests leaves no marker, where the same request with the token does);
 * with one, every answer's code is in the method's documented set ({@link #allowed}); the server stays up and
 * serves a real call afterwards; and its heap after a GC grows by less than {@link #HEAP_GROWTH_BOUND}.
 *
 * <p>The codes a method may answer with a valid credential: OK, INVALID_ARGUMENT (a field broke its rule) and
 * NOT_FOUND (an id or name that names nothing), for every method; PERMISSION_DENIED for a container's credential
 * (a method it may not call, or another app's resource); DEADLINE_EXCEEDED for the methods that wait (Call, Map,
 * AwaitResult, AwaitResults, StreamLogs, Serve, and StopApp, which waits for the app's containers to go) when the
 * fuzzer's deadline comes first; CANCELLED for Map (the map
 * was cancelled, as when its app stops); FAILED_PRECONDITION for StartApp (a classpath artifact not uploaded),
 * DeleteVolume (mounted by an active app) and CommitVolume (content not uploaded); UNAUTHENTICATED for Serve and
 * FetchArtifact (a hello or request naming a container with the wrong token); and UNKNOWN ("Application error
 * processing RPC") only for bytes that are no message of the method's type, which gRPC itself refuses, before any
 * of Shoal's code sees them.
 *
 * <p>Bounded for CI: about {@value #DEFAULT_SECONDS} seconds of fuzzing, after which the test prints how many
 * calls each credential made. A longer run, and a run again of a failure's seed (which the failure message names):
 * {@code ./mvnw -pl integration-tests -am verify -Dtest=ProtocolFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dshoal.fuzz.seconds=600 -Dshoal.fuzz.seed=N}.
 */
class ProtocolFuzzTest {
  private static final String TOKEN = "fuzz-token-0123456789";
  private static final long DEFAULT_SECONDS = 24;
  private static final long HEAP_GROWTH_BOUND = 64L << 20;
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(2);
  private static final List<ServiceDescriptor> SERVICES = List.of(ClientServiceGrpc.getServiceDescriptor(),
      ContainerServiceGrpc.getServiceDescriptor(), VolumeServiceGrpc.getServiceDescriptor());
  private static final Set<String> WAITING = Set.of("Call", "Map", "AwaitResult", "AwaitResults", "StreamLogs",
      "Serve", "StopApp");

  @TempDir
  static Path dataDir;

  private static ShoalServer server;

  @BeforeAll
  static void start() {
    server = ShoalServer.start(ServerOptions.defaults(dataDir).withPort(0).withToken(TOKEN).withMaxContainers(2));
    System.setProperty("shoal.server", server.address());
    System.setProperty("shoal.token", TOKEN);
  }

  @AfterAll
  static void stop() {
    System.clearProperty("shoal.server");
    System.clearProperty("shoal.token");
    server.close();
  }

  /** The codes {@code method} may answer with a valid credential, as the class's comment documents them. */
  static Set<Code> allowed(String method, boolean container, boolean parses) {
    String name = method.substring(method.indexOf('/') + 1);
    Set<Code> codes = EnumSet.of(Code.OK, Code.INVALID_ARGUMENT, Code.NOT_FOUND);
    if (container) {
      codes.add(Code.PERMISSION_DENIED);
    }
    if (WAITING.contains(name)) {
      codes.add(Code.DEADLINE_EXCEEDED);
    }
    switch (name) {
      case "Map" -> codes.add(Code.CANCELLED);
      case "StartApp", "DeleteVolume", "CommitVolume" -> codes.add(Code.FAILED_PRECONDITION);
      case "Serve", "FetchArtifact" -> codes.add(Code.UNAUTHENTICATED);
      default -> { }
    }
    if (!parses) {
      codes.add(Code.UNKNOWN);
    }
    return codes;
  }

  @Test
  void everyRpcAnswersRandomAndMutatedRequestsWithADocumentedCodeAndNothingRunsWithoutACredential()
      throws Exception {
    long started = System.nanoTime();
    long seed = Long.getLong("shoal.fuzz.seed", System.nanoTime());
    long seconds = Long.getLong("shoal.fuzz.seconds", DEFAULT_SECONDS);
    Random random = new Random(seed);
    Path attackMarker = dataDir.resolve("attack-marker");
    Map<String, String> violations = new TreeMap<>();
    Map<String, Integer> calls = new TreeMap<>();
    ManagedChannel channel = NettyChannelBuilder.forTarget(server.address()).usePlaintext()
        .maxInboundMessageSize(64 << 20).build();
    long heapBefore;
    AppRun run = ScopeProbeApp.app.run();
    try {
      // One container gives its credential, and a finished call whose id the fuzzer may use.
      FunctionCall<String> done = ScopeProbeApp.probe.spawn("credential -");
      String[] credential = done.get(Duration.ofSeconds(60)).split("\n");
      String functionId = server.controlPlane().functionId("scope-probe", "probe").orElseThrow();
      List<String> known = List.of(run.appId(), functionId, functionId + "/method", done.id(), credential[1],
          "scope-probe", "probe", "plusOne", ScopeProbeApp.MOUNTED, "main", "processes", "0".repeat(64));
      RandomMessages messages = new RandomMessages(random, known);
      var admin = ClientServiceGrpc.newBlockingStub(dev.shoal.internal.client.Channels.open(server.address(), TOKEN));
      int appsBefore = admin.listApps(ListAppsRequest.getDefaultInstance()).getAppsCount();
      heapBefore = usedHeapAfterGc();

      List<String> refused = Arrays.asList(null, "Bearer not-the-token", "Bearer container:" + credential[1]
          + ":not-its-token", "container:" + credential[1] + ":" + credential[2], "Bearer " + TOKEN + "x");
      Duration each = Duration.ofMillis(seconds * 1000 / 4 / refused.size());
      for (String authorization : refused) {
        fuzz(channel, authorization, messages, random, each, calls, false, (method, parses, outcome) -> {
          if (outcome.status().getCode() != Code.UNAUTHENTICATED) {
            violations.merge("without a valid credential (" + authorization + ") " + method + " answered "
                + outcome.status().getCode(), String.valueOf(outcome.status().getDescription()), (a, b) -> a);
          }
        }, MarkerRuns.startRequest("marker-attack", attackMarker).toByteArray());
      }
      assertThat(admin.listApps(ListAppsRequest.getDefaultInstance()).getAppsCount()).isEqualTo(appsBefore);

      String containerCredential = "Bearer container:" + credential[1] + ":" + credential[2];
      fuzz(channel, containerCredential, messages, random, Duration.ofSeconds(seconds * 3 / 8), calls, true,
          (method, parses, outcome) -> check(violations, "a container's credential", method, true, parses, outcome),
          null);
      assertThat(server.controlPlane().isContainerCredential(credential[1], credential[2]))
          .as("the container whose credential was fuzzed is still alive").isTrue();

      fuzz(channel, "Bearer " + TOKEN, messages, random, Duration.ofSeconds(seconds * 3 / 8), calls, true,
          (method, parses, outcome) -> check(violations, "the token", method, false, parses, outcome), null);
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      try {
        run.close();
      } catch (NotFoundException e) {
        // A StopApp with the token, which the fuzzer sends with the run's id among others, stopped it already.
      }
    }
    System.out.println("protocol fuzz, seed " + seed + ", " + (System.nanoTime() - started) / 1_000_000_000
        + " s after the start: " + calls);

    // The server is still up, and serves a real call.
    try (AppRun again = ScopeProbeApp.app.run()) {
      assertThat(ScopeProbeApp.plusOne.remote(41)).isEqualTo(42);
    }
    // The same StartApp with the token runs, and its marker appears: had a refused one started anything, its
    // marker would be there by now as well.
    Path controlMarker = dataDir.resolve("control-marker");
    var admin = ClientServiceGrpc.newBlockingStub(dev.shoal.internal.client.Channels.open(server.address(), TOKEN));
    String control = admin.startApp(MarkerRuns.startRequest("marker-control", controlMarker)).getAppId();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(controlMarker));
    } finally {
      admin.stopApp(StopAppRequest.newBuilder().setAppId(control).build());
    }
    assertThat(attackMarker).doesNotExist();

    assertThat(violations).as("answers outside the documented sets, by kind with an example (seed " + seed + ")")
        .isEmpty();
    long methods = SERVICES.stream().mapToLong(s -> s.getMethods().size()).sum();
    assertThat(calls.keySet().stream().filter(k -> !k.startsWith("cancelled")).count())
        .as("every method was called with every kind of credential").isEqualTo(methods * 4);
    long growth = usedHeapAfterGc() - heapBefore;
    System.out.println("protocol fuzz: heap after GC grew by " + (growth >> 20) + " MiB; the test took "
        + (System.nanoTime() - started) / 1_000_000_000 + " s");
    assertThat(growth).as("heap growth after GC, in bytes (seed " + seed + ")").isLessThan(HEAP_GROWTH_BOUND);
  }

  private static void check(Map<String, String> violations, String who, String method, boolean container,
      boolean parses, RawCalls.Outcome outcome) {
    if (outcome.cancelledByCaller()) {
      return;
    }
    if (!allowed(method, container, parses).contains(outcome.status().getCode())) {
      violations.merge("with " + who + " " + method + " answered " + outcome.status().getCode()
          + (parses ? "" : " to bytes that are no message"), String.valueOf(outcome.status().getDescription()),
          (a, b) -> a);
    }
  }

  /** What the fuzzer checks of each answer. */
  private interface Check {
    void answered(String method, boolean parses, RawCalls.Outcome outcome);
  }

  /**
   * Calls every method, in a new random order each round, until {@code budget} is spent, but at least one whole
   * round. {@code attack}, when given, is sent to StartApp once a round besides the random requests.
   */
  private static void fuzz(ManagedChannel channel, String authorization, RandomMessages messages, Random random,
      Duration budget, Map<String, Integer> calls, boolean mayCancel, Check check, byte[] attack) {
    String kind = authorization == null ? "none" : authorization.startsWith("Bearer container:")
        ? "container" : authorization.equals("Bearer " + TOKEN) ? "token" : "refused";
    List<MethodDescriptor<?, ?>> methods = new ArrayList<>(SERVICES.stream()
        .flatMap(s -> s.getMethods().stream()).toList());
    long deadline = System.nanoTime() + budget.toNanos();
    boolean firstRound = true;
    do {
      Collections.shuffle(methods, random);
      for (MethodDescriptor<?, ?> method : methods) {
        if (!firstRound && System.nanoTime() > deadline) {
          return;
        }
        Message prototype = prototypeOf(method);
        boolean streaming = !method.getType().clientSendsOneMessage();
        int count = streaming ? random.nextInt(6) : 1;
        List<byte[]> sent = new ArrayList<>();
        boolean parses = true;
        for (int i = 0; i < count; i++) {
          byte[] message = tame(prototype, messages.next(prototype), kind);
          parses &= RandomMessages.parses(prototype, message);
          sent.add(message);
        }
        boolean cancel = mayCancel && streaming && random.nextInt(10) == 0;
        RawCalls.Outcome outcome = RawCalls.call(channel, method, authorization, sent, cancel, CALL_DEADLINE);
        check.answered(method.getFullMethodName(), parses, outcome);
        calls.merge((cancel ? "cancelled " : "") + kind + " " + method.getBareMethodName(), 1, Integer::sum);
        if (attack != null && method.getBareMethodName().equals("StartApp")) {
          check.answered(method.getFullMethodName(), true,
              RawCalls.call(channel, method, authorization, List.of(attack), false, CALL_DEADLINE));
        }
      }
      firstRound = false;
    } while (System.nanoTime() < deadline);
  }

  /**
   * With a valid credential, keeps a fuzzed StartApp or RegisterFunctions from starting containers at once: a
   * minimum or buffer the engine accepts (1..1000) becomes 0, one it refuses stays. Containers that start do
   * nothing but fail, and the test would spend the machine's two cores starting JVMs; what containers do is the
   * business of the other integration tests.
   */
  private static byte[] tame(Message prototype, byte[] message, String kind) {
    if (!kind.equals("token") && !kind.equals("container")) {
      return message;
    }
    try {
      if (prototype instanceof StartAppRequest) {
        StartAppRequest.Builder b = StartAppRequest.parseFrom(message).toBuilder();
        b.getFunctionsBuilderList().forEach(ProtocolFuzzTest::tame);
        return b.build().toByteArray();
      }
      if (prototype instanceof RegisterFunctionsRequest) {
        RegisterFunctionsRequest.Builder b = RegisterFunctionsRequest.parseFrom(message).toBuilder();
        b.getFunctionsBuilderList().forEach(ProtocolFuzzTest::tame);
        return b.build().toByteArray();
      }
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return message;
    }
    return message;
  }

  private static void tame(FunctionDefinition.Builder f) {
    if (Integer.compareUnsigned(f.getMinContainers(), 1000) <= 0) {
      f.setMinContainers(0);
    }
    if (Integer.compareUnsigned(f.getBufferContainers(), 1000) <= 0) {
      f.setBufferContainers(0);
    }
  }

  private static Message prototypeOf(MethodDescriptor<?, ?> method) {
    return (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller()).getMessagePrototype();
  }


  private static long usedHeapAfterGc() {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return least;
  }
}
