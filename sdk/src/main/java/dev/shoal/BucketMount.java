package dev.shoal;

import dev.shoal.internal.client.bucket.BucketRules;
import dev.shoal.internal.client.bucket.MountedBuckets;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A bucket of S3 or of an S3-compatible store, mounted in a function's containers as a {@link Path} — Modal's
 * {@code CloudBucketMount}.
 *
 * <pre>{@code
 * static final BucketMount raw = BucketMount.s3("raw-data").prefix("2026/").readOnly(true)
 *     .endpoint(URI.create("http://127.0.0.1:9000")).secret(Secret.fromName("s3-creds"));
 * static final RemoteFunction<String, Integer> size = app.function("size",
 *     name -> Files.readString(raw.path().resolve(name)).length(),
 *     FunctionOptions.builder().bucketMount("raw", raw).build());
 * }</pre>
 *
 * <ul>
 *   <li>Inside a container, {@link #path()} is the root of the mount: {@code Files.*}, streams and directory
 *       listings work on the bucket's objects through AWS's NIO provider for S3, without copying the bucket.
 *       Writes go to the store when the file is closed; there is nothing to commit.
 *   <li>A prefix scopes the mount: the root is the prefix, and a path that leaves it ({@code ..}) is refused. This
 *       scopes what the path API reaches; it is no security boundary against the function's own code, which holds
 *       the credentials. Limit the credentials' policy to the prefix for that.
 *   <li>A read-only mount refuses every write, naming the mount.
 *   <li>Credentials: the {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} (and {@code AWS_SESSION_TOKEN},
 *       {@code AWS_REGION}) keys of the mount's {@link #secret}, which reach the container as the function's other
 *       secrets do; without a secret, the AWS SDK's default chain (environment, profile, instance or pod role). The
 *       mounts of one function share the container's environment, so they may name at most one secret between
 *       them. Credentials the store refuses fail the container's start with an error that names the secret.
 *   <li>An {@link #endpoint} is used with path-style requests, which S3-compatible stores need.
 *   <li>Mounting needs {@code dev.shoal:shoal-buckets} on the app's classpath, and process or pod containers: a
 *       thread container shares the caller's JVM, whose environment cannot carry the mount's credentials, and
 *       refuses to start.
 * </ul>
 *
 * <p>Immutable: each method returns a new mount, so a chain belongs in a static field.
 */
public final class BucketMount {
  private final String bucket;
  private final String prefix;
  private final boolean readOnly;
  private final URI endpoint;
  private final Secret secret;

  private BucketMount(String bucket, String prefix, boolean readOnly, URI endpoint, Secret secret) {
    this.bucket = bucket;
    this.prefix = prefix;
    this.readOnly = readOnly;
    this.endpoint = endpoint;
    this.secret = secret;
  }

  /**
   * The whole of bucket {@code bucket}, writable, on AWS S3 unless an {@link #endpoint} is set.
   *
   * @param bucket a bucket name by S3's rules: 3..63 lowercase letters, digits, '.' or '-', starting and ending
   *     with a letter or digit
   */
  public static BucketMount s3(String bucket) {
    Checks.notNull("bucket", bucket);
    String problem = BucketRules.bucketProblem(bucket);
    if (problem != null) {
      throw new InvalidOptionException(problem);
    }
    return new BucketMount(bucket, "", false, null, null);
  }

  /**
   * This mount scoped to the keys under {@code prefix}, such as {@code "2026/"}; a missing trailing {@code '/'} is
   * added. Empty for the whole bucket.
   */
  public BucketMount prefix(String prefix) {
    Checks.notNull("prefix", prefix);
    String problem = BucketRules.prefixProblem(prefix);
    if (problem != null) {
      throw new InvalidOptionException(problem);
    }
    return new BucketMount(bucket, BucketRules.directoryPrefix(prefix), readOnly, endpoint, secret);
  }

  /** This mount, refusing writes if {@code readOnly}. */
  public BucketMount readOnly(boolean readOnly) {
    return new BucketMount(bucket, prefix, readOnly, endpoint, secret);
  }

  /**
   * This mount on the S3-compatible store at {@code endpoint}, such as {@code http://127.0.0.1:9000}: a scheme
   * ({@code http} or {@code https}), a host and an optional port.
   */
  public BucketMount endpoint(URI endpoint) {
    Checks.notNull("endpoint", endpoint);
    String problem = BucketRules.endpointProblem(endpoint);
    if (problem != null) {
      throw new InvalidOptionException(problem);
    }
    return new BucketMount(bucket, prefix, readOnly, endpoint, secret);
  }

  /** This mount with the credentials of {@code secret} (see the class comment for its keys). */
  public BucketMount secret(Secret secret) {
    return new BucketMount(bucket, prefix, readOnly, endpoint, Checks.notNull("secret", secret));
  }

  public String bucket() {
    return bucket;
  }

  /** The prefix that scopes the mount, ending with {@code '/'}; empty for the whole bucket. */
  public String prefix() {
    return prefix;
  }

  public boolean readOnly() {
    return readOnly;
  }

  /** The S3-compatible store's endpoint; empty for AWS S3. */
  public Optional<URI> endpoint() {
    return Optional.ofNullable(endpoint);
  }

  /** The secret holding the mount's credentials; empty for the AWS SDK's default chain. */
  public Optional<Secret> secret() {
    return Optional.ofNullable(secret);
  }

  /**
   * Inside a container whose function mounts this bucket, the root of the mount: the prefix, as a directory.
   *
   * @throws IllegalStateException anywhere else
   */
  public Path path() {
    return MountedBuckets.find(bucket, prefix, endpoint == null ? "" : endpoint.toString(), readOnly)
        .orElseThrow(() -> new IllegalStateException(this + " is not mounted here: path() works inside a"
            + " container whose function mounts it (FunctionOptions.builder().bucketMount(name, mount))"));
  }

  /** Names the bucket, prefix and endpoint, never a credential. */
  @Override
  public String toString() {
    return "BucketMount[s3://" + bucket + "/" + prefix + (endpoint != null ? " at " + endpoint : "")
        + (readOnly ? ", read-only" : "") + (secret != null ? ", " + secret : "") + "]";
  }
}
