package dev.shoal.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.Batching;
import dev.shoal.BucketMount;
import dev.shoal.FunctionOptions;
import dev.shoal.InvalidOptionException;
import dev.shoal.Retries;
import dev.shoal.Secret;
import dev.shoal.Volume;
import dev.shoal.protocol.v1.FunctionDefinition;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class FunctionVariantsTest {
  private static final FunctionDefinition BASE = FunctionSpec.of("summarize", FunctionOptions.builder()
      .timeout(Duration.ofMinutes(2))
      .retries(Retries.builder().maxRetries(3).initialDelay(Duration.ofMillis(200)).build())
      .maxContainers(4)
      .concurrency(8, 4)
      .memoryMb(512)
      .env("MODE", "batch")
      .volume(Volume.fromName("docs", true))
      .secret(Secret.fromName("openai"))
      .build()).definition();

  @Test
  void optionsOfADefinitionMakeTheSameDefinitionAgain() {
    FunctionDefinition again = FunctionSpec.of("summarize", FunctionVariants.optionsOf(BASE)).definition();
    assertThat(again).isEqualTo(BASE);
  }

  @Test
  void variantKeepsWhatItDoesNotChangeAndIsNamedForItsSettings() {
    FunctionDefinition big = FunctionVariants.derive(BASE, o -> o.maxContainers(16).memoryMb(4096), null)
        .definition();

    assertThat(big.getName()).matches("summarize~[0-9a-f]{10}");
    assertThat(big.getVariantOf()).isEqualTo("summarize");
    assertThat(big.getMaxContainers()).isEqualTo(16);
    assertThat(big.getMemoryMb()).isEqualTo(4096);
    assertThat(big.getTimeoutMs()).isEqualTo(120_000);
    assertThat(big.getRetryPolicy()).isEqualTo(BASE.getRetryPolicy());
    assertThat(big.getTargetConcurrentInputs()).isEqualTo(4);
    assertThat(big.getEnvMap()).isEqualTo(BASE.getEnvMap());
    assertThat(big.getVolumesList()).isEqualTo(BASE.getVolumesList());
    assertThat(big.getSecretsList()).containsExactly("openai");
  }

  @Test
  void sameSettingsGiveTheSameNameAndOthersAnother() {
    UnaryOperator<FunctionOptions.Builder> big = o -> o.maxContainers(16);
    String first = FunctionVariants.derive(BASE, big, null).name();
    assertThat(FunctionVariants.derive(BASE, o -> o.maxContainers(16), null).name()).isEqualTo(first);
    assertThat(FunctionVariants.derive(BASE, o -> o.maxContainers(17), null).name()).isNotEqualTo(first);
    assertThat(FunctionVariants.derive(BASE, o -> o.env("MODE", "fast"), null).name()).isNotEqualTo(first);
  }

  @Test
  void bucketMountsAndTheirSecretCarryOverOnce() {
    FunctionDefinition mounted = FunctionSpec.of("read", FunctionOptions.builder()
        .bucketMount("raw", BucketMount.s3("raw-data").prefix("2026/").secret(Secret.fromName("s3-creds")))
        .build()).definition();

    FunctionDefinition big = FunctionVariants.derive(mounted, o -> o.memoryMb(2048), null).definition();

    assertThat(big.getBucketMountsList()).isEqualTo(mounted.getBucketMountsList());
    assertThat(big.getSecretsList()).isEqualTo(mounted.getSecretsList());
  }

  @Test
  void variantOfAVariantVariesTheSameFunction() {
    FunctionDefinition big = FunctionVariants.derive(BASE, o -> o.maxContainers(16), null).definition();
    FunctionDefinition bigger = FunctionVariants.derive(big, o -> o.memoryMb(8192), null).definition();
    assertThat(bigger.getVariantOf()).isEqualTo("summarize");
    assertThat(bigger.getName()).startsWith("summarize~");
    assertThat(bigger.getMaxContainers()).isEqualTo(16);
  }

  @Test
  void batchingIsKeptOrReplacedAndOnlyForBatchedFunctions() {
    FunctionDefinition batched = FunctionSpec.of("embed", FunctionOptions.defaults())
        .withBatching(Batching.of(32, Duration.ofMillis(50))).definition();

    assertThat(FunctionVariants.derive(batched, o -> o.maxContainers(2), null).definition().getBatchMaxSize())
        .isEqualTo(32);
    FunctionDefinition wider = FunctionVariants.derive(batched, UnaryOperator.identity(),
        Batching.of(256, Duration.ofMillis(200))).definition();
    assertThat(wider.getBatchMaxSize()).isEqualTo(256);
    assertThat(wider.getBatchWaitMs()).isEqualTo(200);
    assertThatThrownBy(() -> FunctionVariants.derive(BASE, UnaryOperator.identity(), Batching.of(8, Duration.ZERO)))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("withBatching applies to batched functions, and summarize takes one input at a time");
  }

  @Test
  void badSettingsAreRefusedNamingThem() {
    assertThatThrownBy(() -> FunctionVariants.derive(BASE, o -> o.concurrency(8, 9), null))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("targetInputs must be 1..maxInputs (8)");
    assertThatThrownBy(() -> FunctionVariants.derive(BASE, o -> o.minContainers(5), null))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("maxContainers must be >= minContainers");
    assertThatThrownBy(() -> FunctionVariants.derive(BASE, o -> null, null))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("return the builder you were given");
  }
}
