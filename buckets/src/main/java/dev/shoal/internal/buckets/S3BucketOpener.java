package dev.shoal.internal.buckets;

import dev.shoal.internal.client.bucket.BucketOpener;
import dev.shoal.internal.client.bucket.MountedBuckets;
import dev.shoal.protocol.v1.BucketMountSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.spi.FileSystemProvider;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.nio.spi.s3.S3FileSystem;
import software.amazon.nio.spi.s3.config.S3NioSpiConfiguration;

/**
 * Opens a bucket mount on S3, or on an S3-compatible store, as a directory of AWS's NIO file system for S3.
 *
 * <p>The provider reads its settings from JVM-wide properties and from credentials in the URI; a container sets
 * neither. Each mount's file system is configured instead through the provider's own configuration object, before
 * its first request: the endpoint and its protocol, path-style requests (which S3-compatible stores need), the
 * region and the credentials from the container's environment.
 */
public final class S3BucketOpener implements BucketOpener {
  static final String ACCESS_KEY = "AWS_ACCESS_KEY_ID";
  static final String SECRET_KEY = "AWS_SECRET_ACCESS_KEY";
  static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";
  /** The region requests are signed for when the environment names none; S3-compatible stores accept it. */
  private static final String DEFAULT_REGION = "us-east-1";

  @Override
  public Opened open(BucketMountSpec mount, Map<String, String> environment) throws IOException {
    QuietLogging.ifNoBinding();
    String where = "bucket mount '" + mount.getName() + "' (" + MountedBuckets.describe(mount) + ")";
    URI endpoint = mount.getEndpoint().isEmpty() ? null : URI.create(mount.getEndpoint());
    URI fileSystem = endpoint == null
        ? URI.create("s3://" + mount.getBucket() + "/")
        : URI.create("s3x://" + endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "") + "/"
            + mount.getBucket() + "/");
    S3FileSystem fs = (S3FileSystem) provider(fileSystem.getScheme()).getFileSystem(fileSystem);
    S3NioSpiConfiguration config = fs.getConfiguration();
    config.withRegion(region(environment));
    if (endpoint != null) {
      config.withEndpointProtocol(endpoint.getScheme()).withForcePathStyle(true);
    }
    if (mount.getSecretCredentials()) {
      config.withCredentials(credentials(mount, environment, where));
    }
    // Plain GetObject and PutObject: the transfer manager, the provider's default, is built anew for each file
    // read or written, which costs more than the request for files of the size functions usually write.
    config.withOpenOptions(Set.of());
    // A client made before this configuration would keep the provider's defaults.
    BucketClients clients = new BucketClients(config);
    fs.clientProvider(clients);
    Path root = fs.getPath("/" + mount.getPrefix());
    probe(root, mount, where);
    return new Opened(root, fs::close,
        new WholeObjectUploads(clients.client(mount.getBucket()), mount.getBucket(), config.getTimeoutHigh()));
  }

  private static FileSystemProvider provider(String scheme) {
    for (FileSystemProvider provider : FileSystemProvider.installedProviders()) {
      if (provider.getScheme().equals(scheme)) {
        return provider;
      }
    }
    throw new FileSystemNotFoundException("no NIO provider for '" + scheme + "' is installed: is"
        + " software.amazon.nio.s3:aws-java-nio-spi-for-s3 on the class path?");
  }

  private static String region(Map<String, String> environment) {
    String region = environment.get("AWS_REGION");
    if (region == null || region.isBlank()) {
      region = environment.get("AWS_DEFAULT_REGION");
    }
    return region == null || region.isBlank() ? DEFAULT_REGION : region;
  }

  /** The mount's credentials, which its secret put in the environment; never shown in an error. */
  private static AwsCredentials credentials(BucketMountSpec mount, Map<String, String> environment, String where)
      throws IOException {
    String key = environment.get(ACCESS_KEY);
    String secret = environment.get(SECRET_KEY);
    if (key == null || key.isEmpty() || secret == null || secret.isEmpty()) {
      throw new IOException(where + ": " + secretName(mount) + " sets no " + ACCESS_KEY + " and "
          + SECRET_KEY + ", which the mount takes its credentials from");
    }
    String token = environment.get(SESSION_TOKEN);
    return token == null || token.isEmpty()
        ? AwsBasicCredentials.create(key, secret)
        : AwsSessionCredentials.create(key, secret, token);
  }

  /**
   * Lists one entry under the mount's root, so that a store that cannot be reached, a missing bucket or refused
   * credentials fail the container's start with a message that says which, rather than the function's first read.
   */
  private static void probe(Path root, BucketMountSpec mount, String where) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      entries.iterator().hasNext();
    } catch (IOException | RuntimeException e) {
      throw new IOException(where + ": " + problem(e, mount));
    }
  }

  /** What a failed request says about the mount, from the store's error code, never its message. */
  private static String problem(Throwable failure, BucketMountSpec mount) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof S3Exception s3) {
        String code = s3.awsErrorDetails() != null ? s3.awsErrorDetails().errorCode() : null;
        if (s3.statusCode() == 403 || s3.statusCode() == 401) {
          return "the store refused the credentials " + ACCESS_KEY + "/" + SECRET_KEY + " of "
              + secretName(mount) + " (HTTP " + s3.statusCode() + (code != null ? " " + code : "") + ")";
        }
        if (s3.statusCode() == 404) {
          return "bucket '" + mount.getBucket() + "' does not exist" + (code != null ? " (" + code + ")" : "");
        }
        return "the store answered HTTP " + s3.statusCode() + (code != null ? " " + code : "");
      }
      if (t instanceof SdkClientException client) {
        return "cannot reach the store: " + client.getMessage();
      }
    }
    return failure.toString();
  }

  private static String secretName(BucketMountSpec mount) {
    if (!mount.getSecretCredentials()) {
      return "the AWS default chain (no secret given to the mount)";
    }
    return mount.getSecretName().isEmpty() ? "its secret" : "secret '" + mount.getSecretName() + "'";
  }
}
