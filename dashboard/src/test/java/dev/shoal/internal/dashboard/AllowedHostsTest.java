package dev.shoal.internal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which Host and Origin headers name a dashboard. */
class AllowedHostsTest {
  @Test
  void loopbackNamesAndTheBoundAddressWithTheDashboardsPort() {
    AllowedHosts hosts = AllowedHosts.of("127.0.0.1", 7701, List.of());
    assertThat(List.of("localhost:7701", "127.0.0.1:7701", "[::1]:7701", "LOCALHOST:7701"))
        .allSatisfy(h -> assertThat(hosts.allowsHost(h)).as(h).isTrue());
    assertThat(List.of("localhost", "localhost:80", "127.0.0.1:7700", "localhost.evil.example:7701",
        "evil.example:7701", "127.0.0.2:7701", "", "localhost:7701@evil.example"))
        .allSatisfy(h -> assertThat(hosts.allowsHost(h)).as(h).isFalse());
    assertThat(hosts.allowsHost(null)).isFalse();

    AllowedHosts named = AllowedHosts.of("shoal.internal", 7701, List.of());
    assertThat(named.allowsHost("shoal.internal:7701")).isTrue();
    assertThat(named.allowsHost("shoal.internal")).isFalse();
    assertThat(AllowedHosts.of("::1", 7701, List.of()).allowsHost("[::1]:7701")).isTrue();
  }

  @Test
  void originsAreHttpPagesOfAnAllowedHost() {
    AllowedHosts hosts = AllowedHosts.of("127.0.0.1", 7701, List.of());
    assertThat(hosts.allowsOrigin("http://127.0.0.1:7701")).isTrue();
    assertThat(hosts.allowsOrigin("http://localhost:7701")).isTrue();
    assertThat(List.of("null", "http://evil.example:7701", "http://127.0.0.1:7702", "file://", "ftp://localhost:7701",
        "http://user@localhost:7701", "http://localhost:7701/page", "not a url"))
        .allSatisfy(o -> assertThat(hosts.allowsOrigin(o)).as(o).isFalse());
  }

  @Test
  void aWildcardAddressStandsForThisMachinesAddressesButNeverForANameOrAnotherAddress() throws Exception {
    AllowedHosts hosts = AllowedHosts.of("0.0.0.0", 7701, List.of());
    assertThat(hosts.allowsHost("localhost:7701")).isTrue();
    assertThat(hosts.allowsHost("0.0.0.0:7701")).isFalse();
    assertThat(hosts.allowsHost("203.0.113.7:7701")).as("an address of another machine").isFalse();
    assertThat(hosts.allowsHost("evil.example:7701")).isFalse();
    InetAddress own = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst().orElse(null);
    assumeTrue(own != null, "this machine has no IPv4 address but loopback");
    assertThat(hosts.allowsHost(own.getHostAddress() + ":7701")).isTrue();
    assertThat(hosts.allowsHost(own.getHostAddress() + ":7702")).isFalse();
    assertThat(AllowedHosts.of("127.0.0.1", 7701, List.of()).allowsHost(own.getHostAddress() + ":7701"))
        .as("only a dashboard on every interface answers to them").isFalse();
  }

  @Test
  void addedNamesWithoutAPortAlsoStandForTheBareName() {
    AllowedHosts hosts = AllowedHosts.of("0.0.0.0", 7701, List.of("Shoal.Example.com", "10.0.0.5:8443",
        "fd00::5"));
    assertThat(List.of("shoal.example.com:7701", "shoal.example.com", "10.0.0.5:8443", "[fd00::5]:7701"))
        .allSatisfy(h -> assertThat(hosts.allowsHost(h)).as(h).isTrue());
    assertThat(List.of("shoal.example.com:8443", "10.0.0.5:7701", "10.0.0.5"))
        .allSatisfy(h -> assertThat(hosts.allowsHost(h)).as(h).isFalse());
    assertThat(hosts.allowsOrigin("https://shoal.example.com")).isTrue();
  }

  @Test
  void anAddedEntryThatIsNoHostIsRefusedNamingIt() {
    assertThatThrownBy(() -> AllowedHosts.of("127.0.0.1", 7701, List.of("http://shoal.example.com/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'http://shoal.example.com/' is not a host name for the dashboard");
    assertThatThrownBy(() -> Dashboard.builder().allowedHosts(List.of("a b")))
        .hasMessageContaining("'a b' is not a host name");
  }
}
