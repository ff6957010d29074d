package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.Result;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentResultsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static RecentResults.Entry entry(int bytes, Instant at) {
    Result result = Result.newBuilder()
        .setValue(Payload.newBuilder().setData(ByteString.copyFrom(new byte[bytes])))
        .build();
    return new RecentResults.Entry(result, "app.Main", at);
  }

  @Test
  void keepsAtMostMaxEntriesDroppingTheOldest() {
    RecentResults recent = new RecentResults(3, Long.MAX_VALUE);
    for (int i = 0; i < 5; i++) {
      recent.put("fc-" + i, entry(1, T0));
    }
    assertThat(recent.size()).isEqualTo(3);
    assertThat(recent.get("fc-0", Instant.MIN)).isNull();
    assertThat(recent.get("fc-1", Instant.MIN)).isNull();
    assertThat(recent.get("fc-4", Instant.MIN)).isNotNull();
  }

  @Test
  void keepsAtMostMaxBytes() {
    RecentResults recent = new RecentResults(1_000, 3 * 1_300);
    for (int i = 0; i < 10; i++) {
      recent.put("fc-" + i, entry(1_000, T0));
    }
    assertThat(recent.size()).isEqualTo(3);
    assertThat(recent.get("fc-9", Instant.MIN)).isNotNull();
  }

  @Test
  void answersNothingForResultsOlderThanAsked() {
    RecentResults recent = new RecentResults(10, Long.MAX_VALUE);
    recent.put("fc-old", entry(1, T0));
    recent.put("fc-new", entry(1, T0.plusSeconds(60)));
    assertThat(recent.get("fc-old", T0.plusSeconds(1))).isNull();
    assertThat(recent.get("fc-new", T0.plusSeconds(1)).appClass()).isEqualTo("app.Main");
    recent.expireBefore(T0.plusSeconds(1));
    assertThat(recent.size()).isEqualTo(1);
  }

  @Test
  void refusesNegativeBounds() {
    assertThatThrownBy(() -> new RecentResults(-1, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1 entries");
  }
}
