package dev.shoal.internal.server;

import dev.shoal.internal.client.ServerTrust;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's TLS identity ({@code --tls-cert}, {@code --tls-key}): its certificate chain and private key, PEM
 * files read once at start.
 *
 * <p>The containers a server starts verify it too. They trust the chain the server presents (its certificate and
 * the issuers in the file), which is public, and check it against the first name in the server's certificate: they
 * dial the server at an address of their own (127.0.0.1, or the Service inside a cluster) that the certificate
 * need not name.
 *
 * @param certificateChain a PEM file: the server's certificate first, then any intermediate certificates
 * @param privateKey a PEM file of the certificate's private key (PKCS#8, unencrypted)
 */
public record ServerTls(Path certificateChain, Path privateKey) {
  public ServerTls {
    if (certificateChain == null || privateKey == null) {
      throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key");
    }
  }

  /** The server side of TLS, on the JDK's own implementation (no native library, hence no JDK 24+ warning). */
  SslContext serverContext() {
    try {
      return GrpcSslContexts.configure(SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile()),
          SslProvider.JDK).build();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot use --tls-cert " + certificateChain + " and --tls-key " + privateKey
          + " (PEM files: the certificate chain, and its unencrypted PKCS#8 private key): " + causes(e), e);
    }
  }

  /** The variables that make a container started by this server trust it; see the class comment. */
  Map<String, String> containerTrust() {
    String pem;
    try {
      pem = Files.readString(certificateChain, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read --tls-cert " + certificateChain, e);
    }
    return ServerTrust.containerEnvironment(Optional.of(pem), serverName(pem));
  }

  /**
   * The first name of the server's certificate that a client can check it against: a DNS name without a wildcard,
   * else an IP address, else none (and containers then check the address they dial).
   */
  private Optional<String> serverName(String pem) {
    X509Certificate leaf;
    try {
      Collection<? extends java.security.cert.Certificate> chain = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("--tls-cert " + certificateChain + " holds no certificate");
      }
      leaf = (X509Certificate) chain.iterator().next();
    } catch (CertificateException e) {
      throw new IllegalArgumentException("cannot read the certificates of --tls-cert " + certificateChain + ": "
          + e.getMessage(), e);
    }
    Collection<List<?>> names;
    try {
      names = leaf.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
    if (names == null) {
      return Optional.empty();
    }
    Optional<String> dns = names.stream().filter(n -> (Integer) n.get(0) == 2).map(n -> (String) n.get(1))
        .filter(n -> !n.contains("*")).findFirst();
    return dns.isPresent() ? dns
        : names.stream().filter(n -> (Integer) n.get(0) == 7).map(n -> (String) n.get(1)).findFirst();
  }

  private static String causes(Throwable e) {
    StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      out.append(": ").append(t.getMessage());
    }
    return out.toString();
  }
}
