package dev.shoal.it.volume;

import dev.shoal.internal.controlplane.volume.VolumeStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The volume contract on an S3-compatible service (s3proxy, in this JVM). */
class S3VolumeStoreTest extends VolumeStoreContract {
  private static S3Endpoint s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3Endpoint.start();
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  @Override
  VolumeStore newStore() {
    return s3.newStore();
  }
}
