package dev.shoal.internal.client;

import dev.shoal.internal.client.bucket.MountedBuckets;
import dev.shoal.internal.client.volume.MountedVolume;
import dev.shoal.internal.client.volume.MountedVolumes;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The run one container belongs to, as the SDK sees it from inside that container: the container's own connection,
 * its app's functions in the run, and the volumes and buckets it mounted. It replaces JVM-wide state, which thread containers
 * could not use since they share the caller's JVM: the runtime enters a container's scope on the threads that run
 * its code, and the threads those start inherit it. A container alone in its JVM (a process container) also makes
 * its scope the process's, so that every thread of the process, a pool the user made in a static initialiser
 * included, belongs to the container.
 */
public final class ContainerScope {
  private static final InheritableThreadLocal<ContainerScope> CURRENT = new InheritableThreadLocal<>();
  private static volatile ContainerScope processScope;

  private final String containerId;
  private final String appName;
  private final Class<?> appClass;
  private final RunBinding run;
  private final MountedVolumes volumes;
  private final MountedBuckets buckets;

  /**
   * @param app the app the container serves, whose calls made inside the container go to {@code run}
   * @param volumes the volumes the container's function mounts
   */
  public ContainerScope(String containerId, RegisteredApp app, RunBinding run, MountedVolumes volumes) {
    this(containerId, app, run, volumes, MountedBuckets.NONE);
  }

  /** @param buckets the buckets the container's function mounts */
  public ContainerScope(String containerId, RegisteredApp app, RunBinding run, MountedVolumes volumes,
      MountedBuckets buckets) {
    this.containerId = containerId;
    this.appName = app.name();
    this.appClass = app.appClass();
    this.run = run;
    this.volumes = volumes;
    this.buckets = buckets;
  }

  /** The scope of the container whose code the calling thread runs, if it runs a container's code. */
  public static Optional<ContainerScope> current() {
    ContainerScope scope = CURRENT.get();
    return Optional.ofNullable(scope != null ? scope : processScope);
  }

  /** Makes this the scope of every thread of the process: for a container that is alone in its JVM. */
  public void adoptProcess() {
    processScope = this;
  }

  /** Runs {@code body} on the calling thread inside this scope. */
  public void run(Runnable body) {
    ContainerScope outer = CURRENT.get();
    CURRENT.set(this);
    try {
      body.run();
    } finally {
      CURRENT.set(outer);
    }
  }

  /** Calls {@code body} on the calling thread inside this scope. */
  public <T> T call(Callable<T> body) throws Exception {
    ContainerScope outer = CURRENT.get();
    CURRENT.set(this);
    try {
      return body.call();
    } finally {
      CURRENT.set(outer);
    }
  }

  public String containerId() {
    return containerId;
  }

  /** The run the container belongs to. */
  public RunBinding run() {
    return run;
  }

  /** The run's binding for {@code app}'s calls, if this container serves that app. */
  Optional<RunBinding> runOf(RegisteredApp app) {
    return app.name().equals(appName) && app.appClass() == appClass ? Optional.of(run) : Optional.empty();
  }

  /** The container's mount of {@code volume}, if its function mounts it. */
  public Optional<MountedVolume> mount(String volume) {
    return volumes.mount(volume);
  }

  public MountedVolumes volumes() {
    return volumes;
  }

  public MountedBuckets buckets() {
    return buckets;
  }
}
