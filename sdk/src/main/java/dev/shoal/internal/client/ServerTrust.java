package dev.shoal.internal.client;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How a client trusts a server it reaches over TLS: the certificates it trusts, and the name the server's
 * certificate must carry when that is not the host it dials (a port-forward, or a container that dials the server
 * by an internal address).
 *
 * <p>Certificates to trust come from a PEM file ({@code SHOAL_TLS_CA}) or from the PEM text itself
 * ({@code SHOAL_TLS_CA_PEM}, which wins: it is how the server hands its certificates to the containers it starts,
 * which have no file of it). Either one turns TLS on for a {@code host:port} address; without them a client uses
 * TLS only for an {@code https://host:port} address, and then trusts the JDK's default certificate authorities.
 *
 * @param caFile a PEM file of the certificates to trust
 * @param caPem the PEM text of the certificates to trust
 * @param serverName the name the server's certificate is checked against instead of the host dialled
 */
public record ServerTrust(Optional<Path> caFile, Optional<String> caPem, Optional<String> serverName) {
  public static final String CA_VARIABLE = "SHOAL_TLS_CA";
  public static final String CA_PEM_VARIABLE = "SHOAL_TLS_CA_PEM";
  public static final String SERVER_NAME_VARIABLE = "SHOAL_TLS_SERVER_NAME";
  /** Trusts the JDK's default authorities, and plaintext for a {@code host:port} address. */
  public static final ServerTrust DEFAULT = new ServerTrust(Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * The trust this process's environment sets: {@code SHOAL_TLS_CA}, {@code SHOAL_TLS_CA_PEM} and
   * {@code SHOAL_TLS_SERVER_NAME}, each overridden by the system property {@code shoal.tls.ca},
   * {@code shoal.tls.caPem}, {@code shoal.tls.serverName}. A blank value counts as unset. This is what a container
   * uses: never a user's profile, which names some other server.
   */
  public static ServerTrust fromEnvironment() {
    return new ServerTrust(setting("shoal.tls.ca", CA_VARIABLE).map(Path::of), setting("shoal.tls.caPem",
        CA_PEM_VARIABLE), setting("shoal.tls.serverName", SERVER_NAME_VARIABLE));
  }

  /**
   * The variables that give a container started by a server this trust: the server's certificates and the name in
   * them, or, for a plaintext server, each variable blank, so that none inherited from the server's own
   * environment turns TLS on.
   */
  public static java.util.Map<String, String> containerEnvironment(Optional<String> caPem,
      Optional<String> serverName) {
    return java.util.Map.of(CA_VARIABLE, "", CA_PEM_VARIABLE, caPem.orElse(""), SERVER_NAME_VARIABLE,
        serverName.orElse(""));
  }

  /** Whether certificates to trust are given, which asks for TLS whatever the address says. */
  public boolean pinsCertificates() {
    return caFile.isPresent() || caPem.isPresent();
  }

  static Optional<String> setting(String property, String variable) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(variable);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }
}
