package dev.shoal.internal.controlplane;

import dev.shoal.internal.controlplane.blob.BlobStore;
import dev.shoal.protocol.v1.ContainerOutput;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.ResultStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the control plane does with the blob references in payloads, which it routes and never decodes: it refuses
 * a reference to a blob its store does not have, and tells the store what holds each blob (see
 * {@code BlobLedger} for the rule). An engine without a blob store refuses every reference.
 */
final class BlobRouting {
  /**
   * How many bytes of inline payloads one message carries at most before a batch is cut: far below gRPC's 256 MiB
   * message limit, which a batch of a few hundred payloads just under the inline threshold would pass.
   */
  static final int MAX_BATCH_BYTES = 32 << 20;

  private final BlobStore blobs;

  /** @param blobs the engine's blob store, or null for an engine that keeps none */
  BlobRouting(BlobStore blobs) {
    this.blobs = blobs;
  }

  /** The hash of the blob a payload refers to, or null when its bytes are inline. */
  static String blobOf(Payload payload) {
    return payload.hasBlob() ? payload.getBlob().getSha256() : null;
  }

  /** The hash of the blob that holds a result's value, or null when there is none. */
  static String blobOf(Result result) {
    return result.getStatus() == ResultStatus.SUCCESS ? blobOf(result.getValue()) : null;
  }

  /**
   * Holds the argument's blob while its input is in flight, for a call that is not stored; refuses a reference to a
   * blob the store does not have.
   */
  void holdArgument(Payload args) {
    String blob = namedBlob(args);
    if (blob != null && (blobs == null || !blobs.holdInput(blob))) {
      throw missing(blob);
    }
  }

  /** Ends the hold of {@link #holdArgument}: the input's final result reached its caller. */
  void releaseArgument(Payload args) {
    String blob = blobOf(args);
    if (blob != null && blobs != null) {
      blobs.releaseInput(blob);
    }
  }

  /**
   * Refuses an argument that refers to a blob the store does not have (a stored call's row then holds it), and
   * one whose blob name is not a SHA-256 at all.
   */
  void requireArgument(Payload args) {
    String blob = namedBlob(args);
    if (blob != null && (blobs == null || !blobs.has(blob))) {
      throw missing(blob);
    }
  }

  /** Holds a result's blob until its caller, to whom it is going now and who keeps it nowhere else, fetched it. */
  void delivering(Result result) {
    String blob = blobOf(result);
    if (blob != null && blobs != null) {
      blobs.delivering(blob);
    }
  }

  /**
   * The outputs a container sent, with any result that refers to a blob the store does not have replaced by a
   * failure saying so: its caller could never read it.
   */
  List<ContainerOutput> checkOutputs(List<ContainerOutput> outputs) {
    List<ContainerOutput> checked = null;
    for (int i = 0; i < outputs.size(); i++) {
      ContainerOutput output = outputs.get(i);
      String blob = blobOf(output.getResult());
      if (blob == null || blobs != null && blobs.has(blob)) {
        if (checked != null) {
          checked.add(output);
        }
        continue;
      }
      if (checked == null) {
        checked = new ArrayList<>(outputs.subList(0, i));
      }
      checked.add(output.toBuilder().setResult(Results.of(ResultStatus.FAILURE, "dev.shoal.ShoalException",
          "the container's result refers to blob " + blob + ", which the control plane does not have")).build());
    }
    return checked == null ? outputs : checked;
  }

  /** Deletes the blobs that nothing needs any more; runs now and then, off the timer. */
  int sweep(Set<String> neededByStore) {
    return blobs == null ? 0 : blobs.sweep(neededByStore);
  }

  boolean enabled() {
    return blobs != null;
  }

  /** The blob an argument refers to, or null; refused as invalid when its name is not a SHA-256. */
  private static String namedBlob(Payload args) {
    String blob = blobOf(args);
    if (blob != null && !BlobStore.isHash(blob)) {
      throw CoreException.invalid("args.blob.sha256 must be 64 lower-case hex digits (a SHA-256), was "
          + BoundedQuote.of(blob));
    }
    return blob;
  }

  private CoreException missing(String blob) {
    String what = blob.length() > 80 ? blob.substring(0, 80) + "…" : blob;
    return CoreException.failedPrecondition(blobs == null
        ? "the argument refers to blob " + what + ", but this engine keeps no blobs"
        : "the argument refers to blob " + what + ", which is not in the engine's blob store; upload it first"
            + " (BlobService)");
  }
}
