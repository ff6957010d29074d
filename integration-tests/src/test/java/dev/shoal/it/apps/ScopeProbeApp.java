package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.FunctionCall;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.Volume;
import dev.shoal.internal.client.Engines;
import dev.shoal.protocol.v1.AwaitResultRequest;
import dev.shoal.protocol.v1.CallRequest;
import dev.shoal.protocol.v1.CancelCallRequest;
import dev.shoal.protocol.v1.CancelMapRequest;
import dev.shoal.protocol.v1.EnsureVolumeRequest;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.ListSecretsRequest;
import dev.shoal.protocol.v1.ReadVolumeFileRequest;
import dev.shoal.protocol.v1.RegisterFunctionsRequest;
import dev.shoal.protocol.v1.SecretServiceGrpc;
import dev.shoal.protocol.v1.VolumeMount;
import dev.shoal.protocol.v1.VolumeServiceGrpc;
import io.grpc.StatusRuntimeException;
import java.time.Duration;

/**
 * An app whose one function tries, from inside its container and with the container's own credential, what a
 * request names ("VERB ARGUMENT"), and answers "allowed" or the status it was refused with. Its function mounts
 * the volume {@link #MOUNTED}, and nothing else.
 */
public final class ScopeProbeApp {
  public static final App app = App.named("scope-probe");
  public static final String MOUNTED = "scope-probe-mounted";
  public static final Volume mounted = Volume.fromName(MOUNTED, true);

  public static final RemoteFunction<String, String> probe = app.function("probe", ScopeProbeApp::attempt,
      FunctionOptions.builder().volume(mounted).maxContainers(1).build());

  /** A function of this app, for the probe to wait on a call of its own app. */
  public static final RemoteFunction<Integer, Integer> plusOne = app.function("plusOne", x -> x + 1);

  private ScopeProbeApp() {}

  private static String attempt(String request) {
    int space = request.indexOf(' ');
    String verb = request.substring(0, space);
    String argument = request.substring(space + 1);
    var client = Engines.current().blocking();
    var volumes = VolumeServiceGrpc.newBlockingStub(Engines.current().channel());
    try {
      switch (verb) {
        case "await" -> client.awaitResult(AwaitResultRequest.newBuilder().setCallId(argument).build());
        case "cancelCall" -> client.cancelCall(CancelCallRequest.newBuilder().setCallId(argument).build());
        case "cancelMap" -> client.cancelMap(CancelMapRequest.newBuilder().setMapId(argument).build());
        case "call" -> client.call(CallRequest.newBuilder().setFunctionId(argument).build());
        case "register" -> client.registerFunctions(RegisterFunctionsRequest.newBuilder().setAppId(argument)
            .addFunctions(FunctionDefinition.newBuilder().setName("smuggled")).build());
        case "registerMounting" -> {
          // "registerMounting APP-ID VOLUME": a new function for its own app that mounts one more volume.
          String[] parts = argument.split(" ");
          client.registerFunctions(RegisterFunctionsRequest.newBuilder().setAppId(parts[0])
              .addFunctions(FunctionDefinition.newBuilder().setName("smuggled")
                  .addVolumes(VolumeMount.newBuilder().setName(parts[1]))).build());
        }
        case "read" -> volumes.readVolumeFile(ReadVolumeFileRequest.newBuilder().setVolume(argument)
            .setPath("probe.txt").build());
        case "listSecrets" -> SecretServiceGrpc.newBlockingStub(Engines.current().channel())
            .listSecrets(ListSecretsRequest.getDefaultInstance());
        case "create" -> volumes.ensureVolume(EnsureVolumeRequest.newBuilder().setName(argument)
            .setCreateIfMissing(true).build());
        case "spawnDeployedAndAwait" -> {
          // What a pipeline does: a stage spawns the next stage's deployed function and waits for it.
          String[] names = argument.split("/");
          FunctionCall<Integer> call = RemoteFunction.<Integer, Integer>fromName(names[0], names[1]).spawn(41);
          return "allowed " + call.get(Duration.ofSeconds(60));
        }
        case "credential" -> {
          // What another process on the machine could learn by reading this container's environment.
          return System.getenv("SHOAL_CONTAINER_TARGET") + "\n" + System.getenv("SHOAL_CONTAINER_ID") + "\n"
              + System.getenv("SHOAL_CONTAINER_TOKEN");
        }
        default -> throw new IllegalArgumentException(verb);
      }
      return "allowed";
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() + ": " + e.getStatus().getDescription();
    }
  }
}
