package dev.shoal.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import org.junit.jupiter.api.Test;

class ChannelsTest {
  @Test
  void ipAddressesAreRecognisedAsLiteralsAndHostNamesAreNot() {
    assertThat(Channels.isIpLiteral("127.0.0.1")).isTrue();
    assertThat(Channels.isIpLiteral("10.2.30.255")).isTrue();
    assertThat(Channels.isIpLiteral("::1")).isTrue();
    assertThat(Channels.isIpLiteral("[::1]")).isTrue();
    assertThat(Channels.isIpLiteral("localhost")).isFalse();
    assertThat(Channels.isIpLiteral("shoal.example.com")).isFalse();
    assertThat(Channels.isIpLiteral("1.2.3.example.com")).isFalse();
  }

  @Test
  void aChannelToAnIpAddressKeepsTheAddressAsItsAuthority() {
    ManagedChannel channel = Channels.open("127.0.0.1:4711");
    try {
      assertThat(channel.authority()).isEqualTo("127.0.0.1:4711");
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void aChannelToAHostNameKeepsTheNameAsItsAuthority() {
    ManagedChannel channel = Channels.open("localhost:4711");
    try {
      assertThat(channel.authority()).isEqualTo("localhost:4711");
    } finally {
      channel.shutdownNow();
    }
  }
}
