package dev.shoal.internal.backend.kubernetes;

import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.backend.ContainerExit;
import dev.shoal.internal.controlplane.backend.ContainerExitListener;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.backend.ContainerSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs each container as a Kubernetes pod of the generic runtime image. The pod fetches its app's classpath from
 * the control plane by content hash and connects back with its own credential, which it reads from a secret.
 *
 * <p>An informer watches this instance's pods. A pod that ends (its phase Succeeded or Failed), or that goes
 * away, is the container's exit: the exit listener hears how it ended, such as {@code OOMKilled}, and the
 * control plane then treats the container as it treats any that died, putting its inputs back in the queue. The
 * pod and its secret are then deleted, so that ended containers leave nothing behind in the namespace.
 *
 * <p>Reconciliation: the control plane keeps its containers in memory and their credentials die with it, so a
 * pod of an earlier life of the control plane can never say hello again, and its inputs were put back in the
 * queue by the control plane's recovery. Adopting such a pod would need its credential to outlive a restart,
 * which would make a leaked credential last forever; it is deleted instead. At start, and every
 * {@link #RECONCILE_SECONDS} seconds, every pod and secret with this instance's label that no live container of
 * this backend owns is deleted: none is orphaned, even one made by a start that failed half-way.
 */
public final class KubernetesBackend implements ContainerBackend {
  static final long RECONCILE_SECONDS = 30;
  static final long FAILED_START_DELAY_SECONDS = 1;
  static final long DISCONNECTED_GRACE_SECONDS = 5;
  private static final System.Logger LOG = System.getLogger(KubernetesBackend.class.getName());

  /** What start() returns once the backend is closed: a container that never runs, whose exit nobody awaits. */
  private static final ContainerHandle NOT_STARTED = new ContainerHandle() {
    @Override
    public void kill() {}

    @Override
    public boolean isAlive() {
      return false;
    }

    @Override
    public long pid() {
      return -1;
    }
  };

  private final KubernetesClient client;
  private final KubernetesOptions options;
  private final Map<String, PodContainer> live = new ConcurrentHashMap<>();
  private final SharedIndexInformer<Pod> informer;
  private final ScheduledExecutorService reconciler;
  private volatile boolean closed;

  public KubernetesBackend(KubernetesClient client, KubernetesOptions options) {
    this.client = client;
    this.options = options;
    reconcile();
    this.informer = client.pods().inNamespace(options.namespace())
        .withLabel(ContainerPods.INSTANCE, options.instance())
        .inform(new PodEvents(), TimeUnit.SECONDS.toMillis(RECONCILE_SECONDS));
    this.reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "shoal-kubernetes-reconciler");
      t.setDaemon(true);
      return t;
    });
    reconciler.scheduleWithFixedDelay(this::reconcileQuietly, RECONCILE_SECONDS, RECONCILE_SECONDS,
        TimeUnit.SECONDS);
  }

  @Override
  public String name() {
    return "kubernetes";
  }

  @Override
  public int capacity() {
    return options.capacity();
  }

  KubernetesOptions options() {
    return options;
  }

  @Override
  public ContainerHandle start(ContainerSpec spec, ContainerExitListener onExit) {
    if (closed) {
      // The control plane is stopping, and a container it replaces as it stops would only be replaced again.
      return NOT_STARTED;
    }
    Pod pod;
    try {
      pod = ContainerPods.pod(spec, options);
    } catch (IllegalArgumentException e) {
      // Such as an app started with local paths: every container of it would fail the same way, which the
      // control plane turns into the function's init failure after a few.
      return failedStart(spec, onExit, e.getMessage());
    }
    Secret secret = ContainerPods.tokenSecret(spec, options);
    PodContainer container = new PodContainer(spec.containerId(), pod.getMetadata().getName(),
        secret.getMetadata().getName(), onExit);
    // Known before the pod exists, so that reconciliation never takes it for an orphan.
    live.put(spec.containerId(), container);
    try {
      client.secrets().inNamespace(options.namespace()).resource(secret).create();
      Pod created = client.pods().inNamespace(options.namespace()).resource(pod).create();
      ownSecret(secret, created);
    } catch (KubernetesClientException e) {
      live.remove(spec.containerId());
      deleteQuietly(container);
      LOG.log(System.Logger.Level.WARNING, "cannot create pod " + container.podName + " in namespace "
          + options.namespace(), e);
      return failedStart(spec, onExit, "cannot create pod " + container.podName + " in namespace "
          + options.namespace() + ": " + e.getMessage());
    }
    return container;
  }

  /**
   * A container whose pod could not be made, such as while the API server cannot be reached: its exit is told
   * after {@link #FAILED_START_DELAY_SECONDS}, not at once. The control plane replaces a container that exits,
   * and an exit told within start() would make it try again at once, in a loop as fast (and as deep) as the
   * failures come.
   */
  private static ContainerHandle failedStart(ContainerSpec spec, ContainerExitListener onExit, String why) {
    AtomicBoolean alive = new AtomicBoolean(true);
    java.util.concurrent.CompletableFuture.delayedExecutor(FAILED_START_DELAY_SECONDS, TimeUnit.SECONDS)
        .execute(() -> {
          alive.set(false);
          onExit.exited(spec.containerId(), ContainerExit.notStarted(why));
        });
    return new ContainerHandle() {
      @Override
      public void kill() {}

      @Override
      public boolean isAlive() {
        return alive.get();
      }

      @Override
      public long pid() {
        return -1;
      }
    };
  }

  /**
   * Makes the pod the owner of its token secret, so that Kubernetes deletes the secret with the pod even if the
   * control plane is gone by then.
   */
  private void ownSecret(Secret secret, Pod pod) {
    if (pod.getMetadata().getUid() == null) {
      return;
    }
    try {
      client.secrets().inNamespace(options.namespace()).withName(secret.getMetadata().getName())
          .edit(s -> new SecretBuilder(s).editMetadata()
              .addToOwnerReferences(new OwnerReferenceBuilder()
                  .withApiVersion("v1").withKind("Pod")
                  .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid())
                  .build())
              .endMetadata().build());
    } catch (KubernetesClientException e) {
      // The backend deletes the secret itself when the pod ends; the owner is a second line of defence.
      LOG.log(System.Logger.Level.DEBUG, "cannot make pod " + pod.getMetadata().getName() + " own its secret", e);
    }
  }

  /** The containers of this backend whose pods are live; for tests. */
  int liveContainers() {
    return live.size();
  }

  /** Deletes every pod and secret of this instance that no live container owns. */
  void reconcile() {
    String ns = options.namespace();
    for (Pod pod : client.pods().inNamespace(ns).withLabel(ContainerPods.INSTANCE, options.instance()).list()
        .getItems()) {
      if (!owned(pod)) {
        LOG.log(System.Logger.Level.INFO, "deleting pod " + pod.getMetadata().getName()
            + ", which no live container of this control plane owns");
        client.pods().inNamespace(ns).resource(pod).withGracePeriod(0).delete();
      }
    }
    for (Secret secret : client.secrets().inNamespace(ns).withLabel(ContainerPods.INSTANCE, options.instance())
        .list().getItems()) {
      if (!owned(secret)) {
        client.secrets().inNamespace(ns).resource(secret).delete();
      }
    }
  }

  private boolean owned(HasMetadata object) {
    String id = object.getMetadata().getLabels() == null ? null
        : object.getMetadata().getLabels().get(ContainerPods.CONTAINER);
    PodContainer c = id == null ? null : live.get(id);
    return c != null && !c.killed;
  }

  private void reconcileQuietly() {
    try {
      reconcile();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "reconciling pods in namespace " + options.namespace() + " failed", e);
    }
  }

  private void deleteQuietly(PodContainer c) {
    try {
      client.pods().inNamespace(options.namespace()).withName(c.podName).withGracePeriod(0).delete();
      client.secrets().inNamespace(options.namespace()).withName(c.secretName).delete();
    } catch (RuntimeException e) {
      // Reconciliation deletes what is left; a client that is closed or cannot reach the API server throws more
      // than KubernetesClientException.
      LOG.log(System.Logger.Level.DEBUG, "cannot delete pod " + c.podName, e);
    }
  }

  /** Reports a container's exit once, forgets it and deletes what is left of its pod. */
  private void ended(PodContainer c, PodOutcome outcome, boolean podGone) {
    if (!c.report()) {
      return;
    }
    live.remove(c.id);
    String detail = outcome.detail();
    if (!podGone && outcome.exitCode() != 0) {
      detail = detail + PodOutcome.logTail(client, options.namespace(), c.podName);
    }
    deleteQuietly(c);
    if (!c.killed && outcome.exitCode() != 0) {
      // The control plane logs that the container crashed; why, in Kubernetes' words, is told here.
      LOG.log(System.Logger.Level.INFO, "container " + c.id + " ended: " + detail);
    }
    c.onExit.exited(c.id, outcome.toExit(detail));
  }

  @Override
  public void close() {
    closed = true;
    reconciler.shutdownNow();
    List<PodContainer> all = List.copyOf(live.values());
    for (PodContainer c : all) {
      c.killed = true;
      deleteQuietly(c);
    }
    informer.close();
    for (PodContainer c : all) {
      ended(c, PodOutcome.deletedByControlPlane("the control plane stopped"), true);
    }
  }

  /** Turns the informer's view of this instance's pods into container exits. */
  private final class PodEvents implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      seen(pod);
    }

    @Override
    public void onUpdate(Pod before, Pod pod) {
      seen(pod);
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
      PodContainer c = containerOf(pod);
      if (c != null) {
        PodOutcome ended = PodOutcome.of(pod);
        PodOutcome outcome = ended != null ? ended
            : c.killed ? PodOutcome.deletedByControlPlane("its pod was deleted by the control plane" + c.waitingNote())
            : PodOutcome.untold("its pod " + c.podName + " was deleted" + c.waitingNote());
        // Handed off: reading the log and calling the control plane must not hold up the informer's thread.
        Thread.ofVirtual().name("shoal-pod-exit-" + c.id).start(() -> ended(c, outcome, true));
      }
    }

    private void seen(Pod pod) {
      PodContainer c = containerOf(pod);
      if (c == null) {
        return;
      }
      c.waiting = PodOutcome.waitingReason(pod);
      PodOutcome outcome = PodOutcome.of(pod);
      if (outcome != null) {
        Thread.ofVirtual().name("shoal-pod-exit-" + c.id).start(() -> ended(c, outcome, false));
      }
    }

    private PodContainer containerOf(Pod pod) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      return labels == null ? null : live.get(labels.getOrDefault(ContainerPods.CONTAINER, ""));
    }
  }

  /** A container that is a pod, as the control plane holds it. */
  private final class PodContainer implements ContainerHandle {
    final String id;
    final String podName;
    final String secretName;
    final ContainerExitListener onExit;
    /** Why the pod's container is waiting to run, such as ImagePullBackOff; null while it is not waiting. */
    volatile String waiting;
    volatile boolean killed;
    private final AtomicBoolean reported = new AtomicBoolean();

    PodContainer(String id, String podName, String secretName, ContainerExitListener onExit) {
      this.id = id;
      this.podName = podName;
      this.secretName = secretName;
      this.onExit = onExit;
    }

    /** Whether this is the first report of the exit, which alone is passed on. */
    boolean report() {
      return reported.compareAndSet(false, true);
    }

    String waitingNote() {
      String w = waiting;
      return w == null ? "" : " while its container was waiting: " + w;
    }

    @Override
    public void kill() {
      if (killed || reported.get()) {
        return;
      }
      killed = true;
      String note = waitingNote();
      try {
        boolean deleted = !client.pods().inNamespace(options.namespace()).withName(podName).withGracePeriod(0)
            .delete().isEmpty();
        if (!deleted) {
          // Already gone, and its deletion may have been seen before this container was killed.
          ended(this, PodOutcome.deletedByControlPlane("its pod was gone when the control plane ended it" + note),
              true);
        }
      } catch (KubernetesClientException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot delete pod " + podName + "; reconciliation will", e);
      }
      if (!note.isEmpty()) {
        // A pod that never started, such as one whose image cannot be pulled, tells why in its exit.
        LOG.log(System.Logger.Level.INFO, "pod " + podName + " was ended" + note);
      }
    }

    /**
     * Waits {@link #DISCONNECTED_GRACE_SECONDS} before deleting the pod. A container's connection drops as soon
     * as its process dies, but Kubernetes says why (such as {@code OOMKilled}) only once the kubelet has reported
     * the pod's status; deleted at once, the pod would end as "deleted by the control plane", and the app's log
     * would not say why. A pod that ends meanwhile is reported and deleted as any that ends.
     */
    @Override
    public void disconnected() {
      if (killed || reported.get() || closed) {
        kill();
        return;
      }
      try {
        reconciler.schedule(this::kill, DISCONNECTED_GRACE_SECONDS, TimeUnit.SECONDS);
      } catch (RejectedExecutionException e) {
        kill(); // The backend is closing.
      }
    }

    @Override
    public boolean isAlive() {
      return !reported.get();
    }

    @Override
    public long pid() {
      return -1;
    }
  }
}
