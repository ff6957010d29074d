package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.RetryPolicy;
import dev.shoal.protocol.v1.VolumeMount;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class RequestFieldsTest {
  private static void assertInvalid(ThrowingCallable check, String... says) {
    assertThatThrownBy(check).isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> {
          Status status = ((StatusRuntimeException) e).getStatus();
          assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(status.getDescription()).contains(says).hasSizeLessThan(300);
        });
  }

  @Test
  void idsAreWhatIdsMakes() {
    assertThatCode(() -> {
      RequestFields.callId("call_id", Ids.next("fc"));
      RequestFields.callId("call_id", "fc-nosuchcall0");
      RequestFields.appId("app_id", Ids.next("ap"));
      RequestFields.functionId("function_id", Ids.next("fu"));
      RequestFields.functionId("function_id", Ids.next("fu") + "/embed_batch");
      RequestFields.containerId("container_id", Ids.next("ct"));
    }).doesNotThrowAnyException();
    assertInvalid(() -> RequestFields.callId("call_id", ""), "call_id is missing");
    assertInvalid(() -> RequestFields.callId("call_id", "ap-abc"), "call_id must be 'fc-'");
    assertInvalid(() -> RequestFields.callId("call_id", "fc-"), "call_id must be 'fc-'");
    assertInvalid(() -> RequestFields.callId("call_id", "fc-ab\0cd"), "\\u0000");
    assertInvalid(() -> RequestFields.appId("app_id", "ap-" + "a".repeat(8192)), "(8195 characters)");
    assertInvalid(() -> RequestFields.functionId("function_id", "fu-abc/"), "method name");
    assertInvalid(() -> RequestFields.functionId("function_id", "fu-abc/a/b"), "method name");
  }

  @Test
  void namesFollowTheSdksRules() {
    assertThatCode(() -> {
      RequestFields.appName("app_name", "server-app");
      RequestFields.functionName("function_name", "Model('base',2,#a1b2)");
    }).doesNotThrowAnyException();
    assertInvalid(() -> RequestFields.appName("app_name", "Bad_Name"), "app_name must be 1..63 characters");
    assertInvalid(() -> RequestFields.functionName("function_name", "a/b"), "other than space and '/'");
    assertInvalid(() -> RequestFields.functionName("function_name", "f\0"), "\\u0000");
  }

  @Test
  void freeTextIsBoundedAndHasNoControlCharacters() {
    assertThatCode(() -> RequestFields.text("app_class", "com.example.Jobs$Inner", 1024)).doesNotThrowAnyException();
    assertInvalid(() -> RequestFields.text("app_class", "com.example.Jobs\0", 1024),
        "app_class must not contain NUL", "index 16");
    assertInvalid(() -> RequestFields.text("app_class", "x".repeat(2000), 1024), "at most 1024 characters");
  }

  @Test
  void unsignedNumbersThatJavaReadsAsNegativeAreRefused() {
    assertInvalid(() -> RequestFields.waitMillis("timeout_ms", -1L), "timeout_ms must be 0..600000 ms",
        "18446744073709551615");
    FunctionDefinition ok = FunctionDefinition.newBuilder().setName("f").setTimeoutMs(300_000)
        .setMaxContainers(4).setMaxConcurrentInputs(8).setCpu(1.5).setMemoryMb(2048)
        .setRetryPolicy(RetryPolicy.newBuilder().setMaxRetries(3).setBackoffCoefficient(2).setMaxDelayMs(60_000))
        .putEnv("MODEL_DIR", "/models").addVolumes(VolumeMount.newBuilder().setName("weights")).build();
    assertThatCode(() -> RequestFields.function("functions[0]", ok)).doesNotThrowAnyException();
    assertInvalid(() -> RequestFields.function("functions[0]", ok.toBuilder().setMinContainers(-1).build()),
        "functions[0].min_containers must be 0..1000, was 4294967295");
    assertInvalid(() -> RequestFields.function("functions[0]", ok.toBuilder().setCpu(Double.NaN).build()),
        "functions[0].cpu must be 0..64");
    assertInvalid(() -> RequestFields.function("functions[0]", ok.toBuilder().putEnv("BAD", "a\0b").build()),
        "functions[0].env[BAD] must not contain NUL");
    assertInvalid(() -> RequestFields.function("functions[0]", ok.toBuilder().putEnv("1X", "v").build()),
        "env names");
    assertInvalid(() -> RequestFields.functions("functions", List.of(ok, ok)), "names the function 'f' twice");
  }
}
