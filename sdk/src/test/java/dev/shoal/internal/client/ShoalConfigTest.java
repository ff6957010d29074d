package dev.shoal.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's token and TLS trust, from variables (here their system properties), files and profiles. */
class ShoalConfigTest {
  @TempDir
  Path dir;

  @AfterEach
  void clear() {
    System.clearProperty("shoal.tokenFile");
    System.clearProperty("shoal.tls.ca");
    System.clearProperty("shoal.tls.serverName");
  }

  private ShoalConfig config(Map<String, String> profile) {
    Path file = dir.resolve("config.toml");
    ShoalConfig.load(file).withProfile("work", profile, true).save();
    return ShoalConfig.load(file);
  }

  @Test
  void theTokenComesFromTheFileAVariableOrAProfileNames() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("token"), "from-file\n");
    Path other = Files.writeString(dir.resolve("other"), "from-variable\n");

    assertThat(config(Map.of("server", "h:1", "token_file", tokenFile.toString())).token()).contains("from-file");
    System.setProperty("shoal.tokenFile", other.toString());
    assertThat(config(Map.of("server", "h:1", "token_file", tokenFile.toString())).token())
        .contains("from-variable");
  }

  @Test
  void aTokenFileThatCannotBeReadIsNamed() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), " \n");

    assertThatThrownBy(() -> config(Map.of("server", "h:1", "token_file", dir.resolve("none").toString())).token())
        .hasMessageContaining("the token_file of profile 'work'").hasMessageContaining("cannot be read");
    System.setProperty("shoal.tokenFile", empty.toString());
    assertThatThrownBy(() -> config(Map.of("server", "h:1")).token())
        .hasMessage("SHOAL_TOKEN_FILE names " + empty + ", which is empty");
  }

  @Test
  void tlsTrustComesFromTheProfileUnlessAVariableOverridesIt() {
    ShoalConfig config = config(Map.of("server", "https://h:1", "tls_ca", "/etc/ca.pem",
        "tls_server_name", "shoal.example.com"));
    assertThat(config.serverTrust()).isEqualTo(new ServerTrust(Optional.of(Path.of("/etc/ca.pem")), Optional.empty(),
        Optional.of("shoal.example.com")));

    System.setProperty("shoal.tls.ca", "/other/ca.pem");
    assertThat(config.serverTrust().caFile()).contains(Path.of("/other/ca.pem"));
  }

  @Test
  void certificatesThatCannotBeTrustedAreNamedWhenTheChannelOpens() throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");

    assertThatThrownBy(() -> Channels.open("h:1", null, new ServerTrust(Optional.of(dir.resolve("none.pem")),
        Optional.empty(), Optional.empty()))).hasMessageContaining("SHOAL_TLS_CA (" + dir.resolve("none.pem")
        + ") names no readable file");
    assertThatThrownBy(() -> Channels.open("h:1", null, new ServerTrust(Optional.of(notPem), Optional.empty(),
        Optional.empty()))).hasMessageContaining("cannot trust the certificates of SHOAL_TLS_CA");
  }
}
