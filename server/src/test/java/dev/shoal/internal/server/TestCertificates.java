package dev.shoal.internal.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority and a server certificate it signed for {@code localhost} and {@code 127.0.0.1}, made with
 * the JDK's keytool as an operator would make them, as the PEM files {@code shoal server --tls-cert/--tls-key}
 * take.
 *
 * @param ca the authority's certificate, which clients trust ({@code SHOAL_TLS_CA})
 * @param chain the server's certificate, then the authority's
 * @param key the server's private key, PKCS#8
 */
record TestCertificates(Path ca, Path chain, Path key) {
  private static final String PASSWORD = "changeit";

  static TestCertificates create(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
    Path caStore = dir.resolve("ca.p12");
    Path serverStore = dir.resolve("server.p12");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Shoal Test CA",
        "-ext", "bc:c", "-validity", "2", "-keystore", caStore.toString());
    keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
        "CN=localhost", "-validity", "2", "-keystore", serverStore.toString());
    Path request = dir.resolve("server.csr");
    keytool("-certreq", "-alias", "server", "-keystore", serverStore.toString(), "-file", request.toString());
    Path server = dir.resolve("server.pem");
    keytool("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-infile", request.toString(), "-outfile",
        server.toString(), "-rfc", "-validity", "2", "-ext", "san=dns:localhost,ip:127.0.0.1");
    Path ca = dir.resolve("ca.pem");
    keytool("-exportcert", "-alias", "ca", "-keystore", caStore.toString(), "-rfc", "-file", ca.toString());
    Path chain = dir.resolve("chain.pem");
    Files.writeString(chain, Files.readString(server) + Files.readString(ca));
    Path key = dir.resolve("server.key");
    Files.writeString(key, pem("PRIVATE KEY", privateKey(serverStore).getEncoded()));
    return new TestCertificates(ca, chain, key);
  }

  private static PrivateKey privateKey(Path store) throws IOException, GeneralSecurityException {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    return (PrivateKey) keys.getKey("server", PASSWORD.toCharArray());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("-storepass", PASSWORD, "-keypass", PASSWORD, "-storetype", "PKCS12", "-noprompt"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }
}
