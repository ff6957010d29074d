package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.shoal.internal.controlplane.blob.BlobStore;
import dev.shoal.protocol.v1.BlobRef;
import dev.shoal.protocol.v1.ContainerOutput;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.ResultStatus;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The control plane routes blob references without reading them, and refuses one to a blob it does not have. */
class BlobRoutingTest {
  private static final String ABSENT = "0".repeat(64);
  private final BlobStore store = BlobStore.temporary(Clock.systemUTC(), Duration.ofDays(7));
  private final BlobRouting routing = new BlobRouting(store);

  @AfterEach
  void close() {
    store.close();
  }

  private static Payload ref(String hash) {
    return Payload.newBuilder().setCodec(1).setBlob(BlobRef.newBuilder().setSha256(hash)).build();
  }

  private String stored(byte[] content) throws Exception {
    String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    BlobStore.Upload upload = store.upload(hash, content.length);
    upload.write(ByteString.copyFrom(content));
    upload.finish();
    return hash;
  }

  @Test
  void referenceToABlobTheStoreLacksIsRefusedNamingIt() {
    for (Runnable submit : List.<Runnable>of(() -> routing.holdArgument(ref(ABSENT)),
        () -> routing.requireArgument(ref(ABSENT)))) {
      assertThatThrownBy(submit::run)
          .isInstanceOfSatisfying(CoreException.class,
              e -> assertThat(e.kind()).isEqualTo(CoreException.Kind.FAILED_PRECONDITION))
          .hasMessageContaining("the argument refers to blob")
          .hasMessageContaining("which is not in the engine's blob store");
    }
  }

  @Test
  void referenceThatIsNotAHashIsRefusedAsInvalidBeforeTheStoreIsAsked() {
    for (String name : List.of("not a hash", "", "../../../../etc/passwd", "A".repeat(64))) {
      for (Runnable submit : List.<Runnable>of(() -> routing.holdArgument(ref(name)),
          () -> routing.requireArgument(ref(name)))) {
        assertThatThrownBy(submit::run)
            .isInstanceOfSatisfying(CoreException.class,
                e -> assertThat(e.kind()).isEqualTo(CoreException.Kind.INVALID_ARGUMENT))
            .hasMessageContaining("args.blob.sha256 must be 64 lower-case hex digits");
      }
    }
  }

  @Test
  void engineWithoutABlobStoreRefusesEveryReferenceAndPassesInlinePayloads() {
    BlobRouting none = new BlobRouting(null);
    assertThatThrownBy(() -> none.holdArgument(ref(ABSENT))).hasMessageContaining("this engine keeps no blobs");
    Payload inline = Payload.newBuilder().setCodec(1).setData(ByteString.copyFromUtf8("x")).build();
    none.holdArgument(inline);
    none.requireArgument(inline);
    assertThat(none.sweep(java.util.Set.of())).isZero();
  }

  @Test
  void referenceToAStoredBlobIsHeldUntilReleased() throws Exception {
    String hash = stored(new byte[] {1, 2, 3});
    routing.holdArgument(ref(hash));
    routing.requireArgument(ref(hash));
    routing.releaseArgument(ref(hash));
    assertThat(store.has(hash)).isTrue();
  }

  @Test
  void containerResultThatRefersToAMissingBlobBecomesAFailureAndOthersPassUntouched() throws Exception {
    String hash = stored(new byte[] {4, 5});
    ContainerOutput good = ContainerOutput.newBuilder().setInputId("in-1")
        .setResult(Result.newBuilder().setStatus(ResultStatus.SUCCESS).setValue(ref(hash))).build();
    ContainerOutput inline = ContainerOutput.newBuilder().setInputId("in-2")
        .setResult(Result.newBuilder().setStatus(ResultStatus.SUCCESS)
            .setValue(Payload.newBuilder().setCodec(1).setData(ByteString.copyFromUtf8("x")))).build();
    ContainerOutput missing = ContainerOutput.newBuilder().setInputId("in-3")
        .setResult(Result.newBuilder().setStatus(ResultStatus.SUCCESS).setValue(ref(ABSENT))).build();

    assertThat(routing.checkOutputs(List.of(good, inline))).containsExactly(good, inline);
    List<ContainerOutput> checked = routing.checkOutputs(List.of(good, missing, inline));
    assertThat(checked).hasSize(3);
    assertThat(checked.get(0)).isEqualTo(good);
    assertThat(checked.get(2)).isEqualTo(inline);
    assertThat(checked.get(1).getInputId()).isEqualTo("in-3");
    assertThat(checked.get(1).getResult().getStatus()).isEqualTo(ResultStatus.FAILURE);
    assertThat(checked.get(1).getResult().getFailure().getMessage())
        .isEqualTo("the container's result refers to blob " + ABSENT + ", which the control plane does not have");
  }
}
