package dev.shoal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.client.FunctionSpec;
import dev.shoal.protocol.v1.BucketMountSpec;
import dev.shoal.protocol.v1.FunctionDefinition;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bucket mount's settings are checked where they are defined, and travel with the function's definition. */
class BucketMountTest {
  private static final URI STORE = URI.create("http://127.0.0.1:9000");

  @Test
  void bucketNamesThatBreakS3sRulesAreRefusedNamingTheRule() {
    assertThatThrownBy(() -> BucketMount.s3("Raw_Data")).isInstanceOf(InvalidOptionException.class)
        .hasMessage("bucket name 'Raw_Data' must be 3..63 lowercase letters, digits, '.' or '-', starting and"
            + " ending with a letter or digit");
    assertThatThrownBy(() -> BucketMount.s3("ab")).isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("must be 3..63");
    assertThatThrownBy(() -> BucketMount.s3("a".repeat(64))).isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("must be 3..63");
    assertThatThrownBy(() -> BucketMount.s3("-raw")).isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("starting and ending with a letter or digit");
    assertThatThrownBy(() -> BucketMount.s3("raw..data")).isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("two adjacent periods");
    assertThatThrownBy(() -> BucketMount.s3("192.168.1.1")).isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("IP address");
    assertThatThrownBy(() -> BucketMount.s3("xn--raw")).isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("which S3 reserves");
    assertThatThrownBy(() -> BucketMount.s3(null)).isInstanceOf(InvalidOptionException.class)
        .hasMessage("bucket must not be null");
  }

  @Test
  void validBucketNamesAreAccepted() {
    assertThat(BucketMount.s3("raw-data").bucket()).isEqualTo("raw-data");
    assertThat(BucketMount.s3("logs.2026.example").bucket()).isEqualTo("logs.2026.example");
    assertThat(BucketMount.s3("a1b").bucket()).isEqualTo("a1b");
  }

  @Test
  void aPrefixIsADirectoryAndMayNotClimbOrStartAtTheRoot() {
    assertThat(BucketMount.s3("raw").prefix("2026").prefix()).isEqualTo("2026/");
    assertThat(BucketMount.s3("raw").prefix("2026/01/").prefix()).isEqualTo("2026/01/");
    assertThat(BucketMount.s3("raw").prefix("").prefix()).isEmpty();
    assertThatThrownBy(() -> BucketMount.s3("raw").prefix("../other/")).isInstanceOf(InvalidOptionException.class)
        .hasMessage("bucket prefix '../other/' must not hold an empty, '.' or '..' segment");
    assertThatThrownBy(() -> BucketMount.s3("raw").prefix("a//b")).isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("empty, '.' or '..' segment");
    assertThatThrownBy(() -> BucketMount.s3("raw").prefix("/2026/")).isInstanceOf(InvalidOptionException.class)
        .hasMessage("bucket prefix '/2026/' must not start with '/': it is relative to the bucket");
  }

  @Test
  void anEndpointIsASchemeAHostAndAPortWithoutCredentials() {
    assertThat(BucketMount.s3("raw").endpoint(STORE).endpoint()).contains(STORE);
    assertThatThrownBy(() -> BucketMount.s3("raw").endpoint(URI.create("ftp://store:21")))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("must start with http:// or https://");
    assertThatThrownBy(() -> BucketMount.s3("raw").endpoint(URI.create("http://key:s3cr3t@store:9000")))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("must not carry credentials")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> BucketMount.s3("raw").endpoint(URI.create("http://store:9000/raw")))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("must not have a path");
  }

  @Test
  void aMountIsImmutableAndShowsNoCredential() {
    BucketMount base = BucketMount.s3("raw");
    BucketMount scoped = base.prefix("2026/").readOnly(true).endpoint(STORE)
        .secret(Secret.fromMap(Map.of("AWS_SECRET_ACCESS_KEY", "hidden-value")));

    assertThat(base.prefix()).isEmpty();
    assertThat(base.readOnly()).isFalse();
    assertThat(base.secret()).isEmpty();
    assertThat(scoped.readOnly()).isTrue();
    assertThat(scoped.toString()).isEqualTo("BucketMount[s3://raw/2026/ at http://127.0.0.1:9000, read-only,"
        + " Secret[AWS_SECRET_ACCESS_KEY]]").doesNotContain("hidden-value");
  }

  @Test
  void pathOutsideAContainerSaysWhereItWorks() {
    assertThatThrownBy(() -> BucketMount.s3("raw").path()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is not mounted here")
        .hasMessageContaining("bucketMount(name, mount)");
  }

  @Test
  void optionsRefuseABadOrRepeatedMountName() {
    BucketMount raw = BucketMount.s3("raw");
    assertThatThrownBy(() -> FunctionOptions.builder().bucketMount("../raw", raw))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("a bucket mount's name is 1..63");
    assertThatThrownBy(() -> FunctionOptions.builder().bucketMount("raw", raw).bucketMount("raw", raw))
        .isInstanceOf(InvalidOptionException.class).hasMessage("bucket mount 'raw' is already set by these options");
  }

  @Test
  void theMountsOfOneFunctionShareOneSecret() {
    BucketMount a = BucketMount.s3("aaa").secret(Secret.fromName("creds-a"));
    BucketMount b = BucketMount.s3("bbb").secret(Secret.fromName("creds-b"));

    assertThatThrownBy(() -> FunctionOptions.builder().bucketMount("a", a).bucketMount("b", b))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("bucket mounts 'a' and 'b' name different secrets (Secret(creds-a), Secret(creds-b))");
    FunctionOptions shared = FunctionOptions.builder().bucketMount("a", a)
        .bucketMount("again", BucketMount.s3("ccc").secret(Secret.fromName("creds-a")))
        .bucketMount("public", BucketMount.s3("ddd")).build();
    assertThat(shared.bucketMounts()).containsOnlyKeys("a", "again", "public");
    assertThat(shared.toBuilder().build().bucketMounts()).isEqualTo(shared.bucketMounts());
  }

  @Test
  void theDefinitionCarriesTheMountAndItsNamedSecretAfterTheFunctionsOwn() {
    BucketMount raw = BucketMount.s3("raw-data").prefix("2026/").readOnly(true).endpoint(STORE)
        .secret(Secret.fromName("s3-creds"));
    FunctionDefinition d = FunctionSpec.of("f", FunctionOptions.builder()
        .secret(Secret.fromName("openai")).bucketMount("raw", raw).build()).definition();

    assertThat(d.getBucketMountsList()).containsExactly(BucketMountSpec.newBuilder()
        .setName("raw").setBucket("raw-data").setPrefix("2026/").setReadOnly(true)
        .setEndpoint("http://127.0.0.1:9000").setSecretCredentials(true).setSecretName("s3-creds").build());
    assertThat(d.getSecretsList()).containsExactly("openai", "s3-creds");
  }

  @Test
  void aMountsSecretMadeFromAMapGoesToTheEnvironmentAndANamedOneOnce() {
    BucketMount raw = BucketMount.s3("raw").secret(Secret.fromMap(Map.of("AWS_ACCESS_KEY_ID", "from-mount")));
    FunctionDefinition d = FunctionSpec.of("f", FunctionOptions.builder()
        .secret(Secret.fromMap(Map.of("AWS_ACCESS_KEY_ID", "from-function"))).bucketMount("raw", raw).build())
        .definition();
    assertThat(d.getEnvMap()).containsEntry("AWS_ACCESS_KEY_ID", "from-mount");
    assertThat(d.getBucketMounts(0).getSecretCredentials()).isTrue();
    assertThat(d.getBucketMounts(0).getSecretName()).isEmpty();

    FunctionDefinition named = FunctionSpec.of("g", FunctionOptions.builder().secret(Secret.fromName("s3"))
        .bucketMount("raw", BucketMount.s3("raw").secret(Secret.fromName("s3"))).build()).definition();
    assertThat(named.getSecretsList()).containsExactly("s3");
  }
}
