package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.VolumeMount;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The checks of what a container's credential reaches, against a fixed picture of who owns what. */
class ContainerScopeTest {
  private static final String OWN_APP = "ap-own";
  private static final String OTHER_APP = "ap-other";
  private static final String DEPLOYED_APP = "ap-deployed";

  private static final Ownership OWNERSHIP = new Ownership() {
    private final Map<String, FunctionOwner> functions = Map.of(
        "fu-own", new FunctionOwner(OWN_APP, false),
        "fu-other", new FunctionOwner(OTHER_APP, false),
        "fu-deployed", new FunctionOwner(DEPLOYED_APP, true));
    private final Map<String, String> calls = Map.of(
        "fc-own", OWN_APP, "fc-other", OTHER_APP, "fc-deployed", DEPLOYED_APP);

    @Override
    public Optional<FunctionOwner> functionOwner(String functionId) {
      return Optional.ofNullable(functions.get(ControlPlane.poolIdOf(functionId)));
    }

    @Override
    public Optional<String> appOfCall(String callId) {
      return Optional.ofNullable(calls.get(callId));
    }

    @Override
    public Optional<String> appOfMap(String mapId) {
      return appOfCall(mapId);
    }

    @Override
    public List<VolumeMount> mountsOfApp(String appId) {
      return appId.equals(OWN_APP) ? List.of(mount("data", false), mount("scratch", true)) : List.of();
    }

    @Override
    public List<String> secretsOfApp(String appId) {
      return appId.equals(OWN_APP) ? List.of("openai") : List.of();
    }
  };

  private static final Caller.Container CONTAINER = new Caller.Container("ct-1", OWN_APP, "work",
      List.of(mount("data", false), mount("scratch", true)));

  private final ContainerScope scope = new ContainerScope(OWNERSHIP, new CallOrigins());

  private static VolumeMount mount(String name, boolean create) {
    return VolumeMount.newBuilder().setName(name).setCreateIfMissing(create).build();
  }

  private static void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable check, String method,
      String resource) {
    assertThatThrownBy(check).isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((StatusRuntimeException) e).getStatus()
            .getCode()).isEqualTo(Status.Code.PERMISSION_DENIED))
        .hasMessageContaining(method + ": container ct-1 of app " + OWN_APP + " may not use " + resource);
  }

  @Test
  void aContainerMayCallItsOwnAppsFunctionsAndDeployedOnesButNoOtherAppsFunction() {
    assertThatCode(() -> scope.function(CONTAINER, "ClientService/Call", "fu-own")).doesNotThrowAnyException();
    assertThatCode(() -> scope.function(CONTAINER, "ClientService/Call", "fu-own/method"))
        .doesNotThrowAnyException();
    assertThatCode(() -> scope.function(CONTAINER, "ClientService/Call", "fu-deployed")).doesNotThrowAnyException();
    assertDenied(() -> scope.function(CONTAINER, "ClientService/Call", "fu-other"), "ClientService/Call",
        "function fu-other of app " + OTHER_APP);
    assertDenied(() -> scope.function(CONTAINER, "ClientService/SpawnBatch", "fu-other/m"),
        "ClientService/SpawnBatch", "function fu-other/m");
  }

  @Test
  void anUnknownIdIsLeftForTheControlPlaneToAnswerNotFound() {
    assertThatCode(() -> scope.function(CONTAINER, "ClientService/Call", "fu-nothing")).doesNotThrowAnyException();
    assertThatCode(() -> scope.call(CONTAINER, "ClientService/AwaitResult", "fc-nothing"))
        .doesNotThrowAnyException();
    assertThatCode(() -> scope.map(CONTAINER, "ClientService/CancelMap", "fc-nothing")).doesNotThrowAnyException();
  }

  @Test
  void aContainerMayTouchOnlyItsOwnAppsCallsAndWhatItsAppMadeOnDeployedFunctions() {
    assertThatCode(() -> scope.call(CONTAINER, "ClientService/AwaitResult", "fc-own")).doesNotThrowAnyException();
    assertDenied(() -> scope.call(CONTAINER, "ClientService/AwaitResult", "fc-other"), "ClientService/AwaitResult",
        "call fc-other, which belongs to app " + OTHER_APP);
    assertDenied(() -> scope.call(CONTAINER, "ClientService/CancelCall", "fc-deployed"), "ClientService/CancelCall",
        "call fc-deployed");
    assertDenied(() -> scope.map(CONTAINER, "ClientService/CancelMap", "fc-other"), "ClientService/CancelMap",
        "map fc-other");

    scope.made(CONTAINER, "fu-deployed", "fc-deployed");
    assertThatCode(() -> scope.call(CONTAINER, "ClientService/CancelCall", "fc-deployed"))
        .doesNotThrowAnyException();
    Caller.Container otherAppsContainer = new Caller.Container("ct-2", OTHER_APP, "work", List.of());
    assertThatThrownBy(() -> scope.call(otherAppsContainer, "ClientService/AwaitResult", "fc-deployed"))
        .hasMessageContaining("PERMISSION_DENIED");
  }

  @Test
  void callsMadeOnTheContainersOwnAppAreNotRecordedAsMadeElsewhere() {
    CallOrigins origins = new CallOrigins();
    new ContainerScope(OWNERSHIP, origins).made(CONTAINER, "fu-own", "fc-new");
    org.assertj.core.api.Assertions.assertThat(origins.appThatMade("fc-new")).isEmpty();
  }

  @Test
  void aContainerMayRegisterFunctionsOnlyForItsOwnAppAndMountingNothingNew() {
    FunctionDefinition plain = FunctionDefinition.newBuilder().setName("Model(x=1)").build();
    assertThatCode(() -> scope.register(CONTAINER, "ClientService/RegisterFunctions", OWN_APP, List.of(plain,
        plain.toBuilder().addVolumes(mount("data", false)).addVolumes(mount("scratch", true)).build())))
        .doesNotThrowAnyException();
    assertDenied(() -> scope.register(CONTAINER, "ClientService/RegisterFunctions", OTHER_APP, List.of(plain)),
        "ClientService/RegisterFunctions", "app " + OTHER_APP + ", which is not its own");
    assertDenied(() -> scope.register(CONTAINER, "ClientService/RegisterFunctions", OWN_APP,
        List.of(plain.toBuilder().addVolumes(mount("secrets", false)).build())), "ClientService/RegisterFunctions",
        "volume 'secrets'");
    assertDenied(() -> scope.register(CONTAINER, "ClientService/RegisterFunctions", OWN_APP,
        List.of(plain.toBuilder().addVolumes(mount("data", true)).build())), "ClientService/RegisterFunctions",
        "volume 'data'");
  }

  @Test
  void aContainerMayRegisterFunctionsOnlyWithSecretsItsAppAlreadyUses() {
    FunctionDefinition plain = FunctionDefinition.newBuilder().setName("work~1a2b3c4d").setVariantOf("work").build();
    assertThatCode(() -> scope.register(CONTAINER, "ClientService/RegisterFunctions", OWN_APP,
        List.of(plain.toBuilder().addSecrets("openai").build()))).doesNotThrowAnyException();
    assertDenied(() -> scope.register(CONTAINER, "ClientService/RegisterFunctions", OWN_APP,
        List.of(plain.toBuilder().addSecrets("prod-db").build())), "ClientService/RegisterFunctions",
        "secret 'prod-db'");
  }

  @Test
  void aContainerReachesOnlyTheVolumesMountedIntoItsFunctionAndCreatesOnlyWhereItsMountSaysSo() {
    assertThatCode(() -> ContainerScope.volume(CONTAINER, "VolumeService/GetManifest", "data", false))
        .doesNotThrowAnyException();
    assertThatCode(() -> ContainerScope.volume(CONTAINER, "VolumeService/EnsureVolume", "scratch", true))
        .doesNotThrowAnyException();
    assertDenied(() -> ContainerScope.volume(CONTAINER, "VolumeService/ReadVolumeFile", "secrets", false),
        "VolumeService/ReadVolumeFile", "volume 'secrets', which is not mounted into its function 'work'");
    assertDenied(() -> ContainerScope.volume(CONTAINER, "VolumeService/EnsureVolume", "data", true),
        "VolumeService/EnsureVolume", "volume 'data' to create it");
  }

  @Test
  void aContainerSpeaksOnlyForItself() {
    assertThatCode(() -> ContainerScope.container(CONTAINER, "ContainerService/Serve", "ct-1"))
        .doesNotThrowAnyException();
    assertDenied(() -> ContainerScope.container(CONTAINER, "ContainerService/Serve", "ct-2"),
        "ContainerService/Serve", "container ct-2, which is not itself");
  }

  @Test
  void theTokensHolderPassesEveryCheck() {
    Caller admin = Caller.ADMIN;
    assertThatCode(() -> {
      scope.function(admin, "ClientService/Call", "fu-other");
      scope.call(admin, "ClientService/AwaitResult", "fc-other");
      scope.map(admin, "ClientService/CancelMap", "fc-other");
      scope.register(admin, "ClientService/RegisterFunctions", OTHER_APP,
          List.of(FunctionDefinition.newBuilder().setName("f").addVolumes(mount("secrets", true)).build()));
      ContainerScope.volume(admin, "VolumeService/EnsureVolume", "secrets", true);
      ContainerScope.container(admin, "ContainerService/Serve", "ct-9");
    }).doesNotThrowAnyException();
  }
}
