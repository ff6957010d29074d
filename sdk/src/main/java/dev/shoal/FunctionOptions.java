package dev.shoal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** How a function runs: its timeout, retries, container limits and resources. Immutable. */
public final class FunctionOptions {
  private static final FunctionOptions DEFAULTS = builder().build();
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Duration DEFAULT_MIN_STARTUP = Duration.ofSeconds(60);

  private final Duration timeout;
  private final Duration startupTimeout;
  private final Retries retries;
  private final Integer maxContainers;
  private final int minContainers;
  private final int bufferContainers;
  private final Duration scaledownWindow;
  private final int concurrency;
  /** 0 when the target is the maximum. */
  private final int targetConcurrency;
  private final double cpu;
  private final int memoryMb;
  private final String gpu;
  private final Map<String, String> env;
  private final List<Volume> volumes;
  private final List<Secret> secrets;
  private final Map<String, BucketMount> bucketMounts;

  private FunctionOptions(Builder b) {
    this.timeout = b.timeout;
    this.startupTimeout = b.startupTimeout;
    this.retries = b.retries;
    this.maxContainers = b.maxContainers;
    this.minContainers = b.minContainers;
    this.bufferContainers = b.bufferContainers;
    this.scaledownWindow = b.scaledownWindow;
    this.concurrency = b.concurrency;
    this.targetConcurrency = b.targetConcurrency;
    this.cpu = b.cpu;
    this.memoryMb = b.memoryMb;
    this.gpu = b.gpu;
    this.env = Map.copyOf(b.env);
    this.volumes = List.copyOf(b.volumes.values());
    this.secrets = List.copyOf(b.secrets);
    this.bucketMounts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.bucketMounts));
  }

  public static FunctionOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.timeout = timeout;
    b.startupTimeout = startupTimeout;
    b.retries = retries;
    b.maxContainers = maxContainers;
    b.minContainers = minContainers;
    b.bufferContainers = bufferContainers;
    b.scaledownWindow = scaledownWindow;
    b.concurrency = concurrency;
    b.targetConcurrency = targetConcurrency;
    b.cpu = cpu;
    b.memoryMb = memoryMb;
    b.gpu = gpu;
    b.env.putAll(env);
    volumes.forEach(v -> b.volumes.put(v.name(), v));
    b.secrets.addAll(secrets);
    b.bucketMounts.putAll(bucketMounts);
    return b;
  }

  /** How long one attempt may run. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * How long a container may take to start, load the app and run its factory. By default the longer of the
   * timeout and 60 s: Modal uses the timeout, but a container here is a JVM, whose start alone can take seconds
   * on a busy machine, and a short timeout meant for the work should not fail the start.
   */
  public Duration startupTimeout() {
    if (startupTimeout != null) {
      return startupTimeout;
    }
    return timeout.compareTo(DEFAULT_MIN_STARTUP) > 0 ? timeout : DEFAULT_MIN_STARTUP;
  }

  public Retries retries() {
    return retries;
  }

  /** The most containers the function may have at once, if capped. */
  public OptionalInt maxContainers() {
    return maxContainers == null ? OptionalInt.empty() : OptionalInt.of(maxContainers);
  }

  public int minContainers() {
    return minContainers;
  }

  public int bufferContainers() {
    return bufferContainers;
  }

  public Duration scaledownWindow() {
    return scaledownWindow;
  }

  /** How many inputs one container runs at once. */
  public int concurrency() {
    return concurrency;
  }

  /**
   * How many inputs at once the autoscaler sizes the pool for per container; a container takes up to
   * {@link #concurrency()} when the pool cannot grow. The same as {@code concurrency()} unless set apart with
   * {@link Builder#concurrency(int, int)}.
   */
  public int targetConcurrency() {
    return targetConcurrency == 0 ? concurrency : targetConcurrency;
  }

  public double cpu() {
    return cpu;
  }

  public int memoryMb() {
    return memoryMb;
  }

  public Optional<String> gpu() {
    return Optional.ofNullable(gpu);
  }

  public Map<String, String> env() {
    return env;
  }

  /** The volumes mounted in every container of the function. */
  public List<Volume> volumes() {
    return volumes;
  }

  /** The secrets whose keys become environment variables of the function's containers, in order. */
  public List<Secret> secrets() {
    return secrets;
  }

  /** The buckets mounted in every container of the function, by mount name, in the order they were added. */
  public Map<String, BucketMount> bucketMounts() {
    return bucketMounts;
  }

  /** Builds {@link FunctionOptions}; each setter rejects a value that breaks its rule at once. */
  public static final class Builder {
    private Duration timeout = Duration.ofSeconds(300);
    private Duration startupTimeout;
    private Retries retries = Retries.NONE;
    private Integer maxContainers;
    private int minContainers;
    private int bufferContainers;
    private Duration scaledownWindow = Duration.ofSeconds(60);
    private int concurrency = 1;
    private int targetConcurrency;
    private double cpu = 0.125;
    private int memoryMb = 128;
    private String gpu;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, Volume> volumes = new LinkedHashMap<>();
    private final List<Secret> secrets = new ArrayList<>();
    private final Map<String, BucketMount> bucketMounts = new LinkedHashMap<>();

    private Builder() {}

    /** Per attempt: 1 s..24 h; the default is 300 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = Checks.range("timeout", timeout, Duration.ofSeconds(1), Duration.ofHours(24));
      return this;
    }

    /** 1 s..24 h; the default is the longer of the timeout and 60 s. */
    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout =
          Checks.range("startupTimeout", startupTimeout, Duration.ofSeconds(1), Duration.ofHours(24));
      return this;
    }

    /** {@code n} retries (0..10) with a fixed one-second delay. */
    public Builder retries(int maxRetries) {
      this.retries = Retries.fixed(maxRetries);
      return this;
    }

    public Builder retries(Retries retries) {
      this.retries = Checks.notNull("retries", retries);
      return this;
    }

    /** A hard cap on live containers: 1..10,000. */
    public Builder maxContainers(int maxContainers) {
      this.maxContainers = Checks.range("maxContainers", maxContainers, 1, 10_000);
      return this;
    }

    /** Containers kept warm while the app runs: 0..1,000. */
    public Builder minContainers(int minContainers) {
      this.minContainers = Checks.range("minContainers", minContainers, 0, 1_000);
      return this;
    }

    /** Idle extra containers kept while the function has work: 0..1,000. */
    public Builder bufferContainers(int bufferContainers) {
      this.bufferContainers = Checks.range("bufferContainers", bufferContainers, 0, 1_000);
      return this;
    }

    /** How long a container may stay idle before it stops: 1 s..20 min; the default is 60 s. */
    public Builder scaledownWindow(Duration scaledownWindow) {
      this.scaledownWindow =
          Checks.range("scaledownWindow", scaledownWindow, Duration.ofSeconds(1), Duration.ofMinutes(20));
      return this;
    }

    /** Inputs one container runs at once, on virtual threads: 1..1,000; the default is 1. */
    public Builder concurrency(int maxInputs) {
      this.concurrency = Checks.range("concurrency", maxInputs, 1, 1_000);
      this.targetConcurrency = 0;
      return this;
    }

    /**
     * Inputs one container runs at once, at most {@code maxInputs} (1..1,000); the autoscaler starts containers
     * so that each runs about {@code targetInputs} (1..maxInputs), and lets them take more only when the pool is
     * at its cap. For bursts: containers fill up to the maximum while new ones start.
     */
    public Builder concurrency(int maxInputs, int targetInputs) {
      Checks.range("concurrency", maxInputs, 1, 1_000);
      if (targetInputs < 1 || targetInputs > maxInputs) {
        throw new InvalidOptionException("targetInputs must be 1..maxInputs (" + maxInputs + "), was "
            + targetInputs);
      }
      this.concurrency = maxInputs;
      this.targetConcurrency = targetInputs == maxInputs ? 0 : targetInputs;
      return this;
    }

    /** Cores requested per container: 0.125..64. */
    public Builder cpu(double cpu) {
      this.cpu = Checks.range("cpu", cpu, 0.125, 64.0);
      return this;
    }

    /** Memory per container in MiB: 64..1,048,576. */
    public Builder memoryMb(int memoryMb) {
      this.memoryMb = Checks.range("memoryMb", memoryMb, 64, 1_048_576);
      return this;
    }

    /** A GPU request such as {@code "H100"} or {@code "A10:2"}. */
    public Builder gpu(String gpu) {
      Checks.notNull("gpu", gpu);
      if (!gpu.matches("[A-Za-z0-9-]+(:[1-8])?")) {
        throw new InvalidOptionException("gpu must look like TYPE or TYPE:COUNT with COUNT 1..8, was '" + gpu + "'");
      }
      this.gpu = gpu;
      return this;
    }

    /** An environment variable set in every container of the function. */
    public Builder env(String name, String value) {
      Checks.notNull("env name", name);
      Checks.notNull("env value", value);
      if (!ENV_NAME.matcher(name).matches()) {
        throw new InvalidOptionException("env name must match [A-Za-z_][A-Za-z0-9_]*, was '" + name + "'");
      }
      env.put(name, value);
      return this;
    }

    /**
     * Mounts {@code volume} in every container of the function: inside, {@link Volume#path()} is its local
     * directory. A function mounts a given volume once.
     */
    public Builder volume(Volume volume) {
      Checks.notNull("volume", volume);
      if (volumes.containsKey(volume.name())) {
        throw new InvalidOptionException("volume '" + volume.name() + "' is already mounted by these options");
      }
      volumes.put(volume.name(), volume);
      return this;
    }

    /**
     * Sets the keys of {@code secret} as environment variables in every container of the function; a later
     * secret's key wins over an earlier one's, and over {@link #env}. A named secret must exist when the app
     * starts. See {@link Secret}.
     */
    public Builder secret(Secret secret) {
      Checks.notNull("secret", secret);
      if (secret.name().isPresent()
          && secrets.stream().anyMatch(s -> s.name().equals(secret.name()))) {
        throw new InvalidOptionException("secret '" + secret.name().get() + "' is already named by these options");
      }
      secrets.add(secret);
      return this;
    }

    /**
     * Mounts {@code mount} in every container of the function under {@code name}, which names it in errors;
     * inside, {@link BucketMount#path()} is its root. The mounts of one function share the container's
     * environment, so they may name at most one secret between them. See {@link BucketMount}.
     */
    public Builder bucketMount(String name, BucketMount mount) {
      Checks.notNull("bucket mount name", name);
      Checks.notNull("bucket mount", mount);
      String problem = dev.shoal.internal.client.bucket.BucketRules.mountNameProblem(name);
      if (problem != null) {
        throw new InvalidOptionException(problem);
      }
      if (bucketMounts.containsKey(name)) {
        throw new InvalidOptionException("bucket mount '" + name + "' is already set by these options");
      }
      mount.secret().ifPresent(secret -> bucketMounts.forEach((other, m) -> m.secret()
          .filter(s -> !sameSecret(s, secret))
          .ifPresent(s -> {
            throw new InvalidOptionException("bucket mounts '" + other + "' and '" + name + "' name different"
                + " secrets (" + s + ", " + secret + "); a function's containers have one set of AWS credentials,"
                + " so its mounts share one secret");
          })));
      bucketMounts.put(name, mount);
      return this;
    }

    private static boolean sameSecret(Secret a, Secret b) {
      return a.name().isPresent() ? a.name().equals(b.name()) : b.name().isEmpty() && a.values().equals(b.values());
    }

    public FunctionOptions build() {
      if (maxContainers != null && maxContainers < minContainers) {
        throw new InvalidOptionException(
            "maxContainers must be >= minContainers, was " + maxContainers + " < " + minContainers);
      }
      return new FunctionOptions(this);
    }
  }
}
