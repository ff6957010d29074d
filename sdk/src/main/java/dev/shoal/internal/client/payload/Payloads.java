package dev.shoal.internal.client.payload;

import com.google.protobuf.UnsafeByteOperations;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.Codec;
import dev.shoal.internal.codec.CodecException;
import dev.shoal.internal.codec.EncodedValue;
import dev.shoal.internal.codec.PayloadLimits;
import dev.shoal.protocol.v1.BlobRef;
import dev.shoal.protocol.v1.Payload;
import io.grpc.Channel;
import java.nio.file.Path;

/**
 * Values to payloads and back, for clients and containers alike: a value within the inline threshold travels in its
 * message; a larger one is spilled to a file as it is encoded, uploaded to the control plane's blob store from that
 * file, and referred to by its hash; the receiver downloads it to a file and decodes it from there. A value is thus
 * never held twice in memory, however large, and one past the hard limit fails while it is encoded, before anything
 * is sent.
 */
public final class Payloads {
  /**
   * How many bytes of inline payloads one message carries at most before a batch is cut: far below gRPC's 256 MiB
   * message limit, which a batch of a few hundred payloads just under the inline threshold would pass.
   */
  public static final int MAX_BATCH_BYTES = 32 << 20;

  private Payloads() {}

  /**
   * Encodes a value as a payload, uploading it first when it is too large to travel inline.
   *
   * @param policy the receiving side's policy, or null to check nothing
   * @throws CodecException when the value cannot be encoded, would be refused, or is over the limit
   * @throws io.grpc.StatusRuntimeException when the upload fails
   */
  public static Payload encode(Object value, ClassPolicy policy, PayloadLimits limits, Channel channel) {
    EncodedValue encoded = Codec.encode(value, policy, limits);
    if (encoded instanceof EncodedValue.Inline inline) {
      return Payload.newBuilder()
          .setCodec(Codec.ID)
          .setData(UnsafeByteOperations.unsafeWrap(inline.bytes()))
          .build();
    }
    try (EncodedValue.Spilled spilled = (EncodedValue.Spilled) encoded) {
      new BlobTransfer(channel).upload(spilled);
      return Payload.newBuilder()
          .setCodec(Codec.ID)
          .setBlob(BlobRef.newBuilder().setSha256(spilled.sha256()))
          .build();
    }
  }

  /**
   * Decodes a payload, downloading it first when it refers to a blob.
   *
   * @param what what the payload is, for messages: "the argument", "the result"
   * @param release whether this is the one receiver of a result that is not kept, so that the control plane may
   *     stop keeping its blob once it is downloaded
   * @throws CodecException when the payload is of an unknown codec, corrupt, or of a refused class
   * @throws io.grpc.StatusRuntimeException when the download fails
   */
  public static Object decode(Payload payload, String what, ClassPolicy policy, Channel channel, boolean release,
      Path tempDir) {
    Codec.requireId(payload.getCodec(), what);
    if (!payload.hasBlob()) {
      return Codec.decode(payload.getData().toByteArray(), policy);
    }
    Path file = new BlobTransfer(channel).download(payload.getBlob().getSha256(), release, tempDir);
    try {
      return Codec.decode(file, policy);
    } finally {
      BlobTransfer.delete(file);
    }
  }
}
