package dev.shoal.it.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shoal.internal.client.Channels;
import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ShoalServer;
import dev.shoal.protocol.v1.AppHeartbeatRequest;
import dev.shoal.protocol.v1.AwaitResultRequest;
import dev.shoal.protocol.v1.ClientServiceGrpc;
import dev.shoal.protocol.v1.EnsureVolumeRequest;
import dev.shoal.protocol.v1.GetCallStatusRequest;
import dev.shoal.protocol.v1.LookupFunctionRequest;
import dev.shoal.protocol.v1.ReadVolumeFileRequest;
import dev.shoal.protocol.v1.StopAppRequest;
import dev.shoal.protocol.v1.VolumeServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests whose fields a client would never send, through a real server on PostgreSQL: each is refused with the
 * status the server chose, naming the field and quoting a bounded, escaped prefix of it, before it reaches the
 * control plane or the database.
 */
class ProtocolHygieneTest {
  private static final String TOKEN = "hygiene-token-0123456789";

  @TempDir
  static Path dataDir;

  private static ShoalServer server;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() {
    server = ShoalServer.start(ServerOptions.defaults(dataDir).withPort(0).withToken(TOKEN).withMaxContainers(1));
    channel = Channels.open(server.address(), TOKEN);
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    server.close();
  }

  private static Status refusal(Executable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::execute).getStatus();
  }

  @Test
  void anIdOfEightKibIsRefusedWithInvalidArgumentRatherThanAnHttp2Error() {
    String huge = "ap-" + "a".repeat(8192);
    var client = ClientServiceGrpc.newBlockingStub(channel);
    assertBoundedRefusal(refusal(() -> client.stopApp(StopAppRequest.newBuilder().setAppId(huge).build())),
        "app_id must be 'ap-'");
    assertBoundedRefusal(refusal(() -> client.appHeartbeat(AppHeartbeatRequest.newBuilder().setAppId(huge).build())),
        "app_id must be 'ap-'");
    assertBoundedRefusal(refusal(() -> client.getCallStatus(GetCallStatusRequest.newBuilder()
        .setCallId("fc-" + "a".repeat(8192)).build())), "call_id must be 'fc-'");
  }

  private static void assertBoundedRefusal(Status status, String rule) {
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).startsWith(rule).contains("… (8195 characters)").hasSizeLessThan(300);
  }

  @Test
  void aNulInAnIdOrNameIsRefusedBeforeItReachesPostgres() {
    var client = ClientServiceGrpc.newBlockingStub(channel);
    Status call = refusal(() -> client.awaitResult(AwaitResultRequest.newBuilder().setCallId("fc-abc\0def").build()));
    assertThat(call.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(call.getDescription()).startsWith("call_id must be 'fc-' and 1..64 letters or digits")
        .contains("'fc-abc\\u0000def'");
    Status lookup = refusal(() -> client.lookupFunction(LookupFunctionRequest.newBuilder()
        .setAppName("app\0").setFunctionName("f").build()));
    assertThat(lookup.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(lookup.getDescription()).startsWith("app_name must be");
  }

  @Test
  void aNotFoundThatNamesALongPathKeepsItsStatus() {
    var volumes = VolumeServiceGrpc.newBlockingStub(channel);
    volumes.ensureVolume(EnsureVolumeRequest.newBuilder().setName("hygiene").setCreateIfMissing(true).build());
    // 1,023 characters is a valid path (16 segments of 63, 189 bytes each in UTF-8, within a file name's 255),
    // which the volume store's answer names: as UTF-8, percent-encoded in a trailer, it would take 9 KiB, past
    // what a client accepts.
    String path = String.join("/", java.util.Collections.nCopies(16, "日".repeat(63)));
    Status status = refusal(() -> volumes.readVolumeFile(ReadVolumeFileRequest.newBuilder().setVolume("hygiene")
        .setPath(path).build()));
    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).contains("hygiene", "\\u65e5").hasSizeLessThan(2_000);
  }
}
