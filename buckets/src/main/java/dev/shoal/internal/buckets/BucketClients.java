package dev.shoal.internal.buckets;

import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.nio.spi.s3.S3ClientProvider;
import software.amazon.nio.spi.s3.config.S3NioSpiConfiguration;

/**
 * The provider's clients for a mount's file system, shared with the mount's own whole-object uploads so that both
 * use one configured client per bucket.
 */
final class BucketClients extends S3ClientProvider {
  BucketClients(S3NioSpiConfiguration configuration) {
    super(configuration);
  }

  /** The client of {@code bucket}, made on first use with the file system's configuration. */
  S3AsyncClient client(String bucket) {
    return generateClient(bucket);
  }
}
