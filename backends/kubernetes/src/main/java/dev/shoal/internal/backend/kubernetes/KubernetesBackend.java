package dev.shoal.internal.backend.kubernetes;

import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.backend.ContainerExit;
import dev.shoal.internal.controlplane.backend.ContainerExitListener;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.backend.ContainerSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs each container as a Kubernetes pod of the generic runtime image. The pod fetches its app's classpath from
 * the control plane by content hash and connects back with its own credential, which it reads from a secret.
 *
 * <p>Creation: {@link #start} returns at once and a pool of {@link KubernetesOptions#createParallelism()}
 * threads makes the pods, two requests each: the pod, then its immutable token secret, owned by the pod so that
 * deleting the pod deletes the secret. A burst of a thousand containers thus costs two thousand requests made a
 * few at a time, rather than twice as many made one after another on the thread that asked for them. The pod
 * exists before its secret for a moment; the kubelet waits for a secret a pod refers to.
 *
 * <p>An informer watches this instance's pods. A pod that ends (its phase Succeeded or Failed), or that goes
 * away, is the container's exit: the exit listener hears how it ended, such as {@code OOMKilled}, and the
 * control plane then treats the container as it treats any that died, putting its inputs back in the queue. The
 * pod is then deleted, so that ended containers leave nothing behind in the namespace.
 *
 * <p>Deletion is graceful: a pod keeps its grace period ({@link ContainerPods#terminationGraceSeconds}), in which
 * its container stops as on a Shutdown (a Cls instance's {@code close()} runs), and Kubernetes kills it when that
 * runs out. Only a pod still there {@link #FORCE_AFTER_SECONDS} after its grace ran out, on a node that no longer
 * answers, is deleted by force.
 *
 * <p>Reconciliation: at start, and every {@link #RECONCILE_SECONDS} seconds, every pod in the informer's cache
 * that no live container of this backend owns is deleted: none is orphaned, even one made by a start that failed
 * half-way. The pods an earlier life of the control plane left running are the exception: they are kept for
 * {@link #ADOPTION_WINDOW_SECONDS}, so that a container that reconnects to the new control plane may be taken
 * over ({@link #adopt}); those that end meanwhile are deleted at once. Reading the cache costs the API server
 * nothing; only at start are the secrets listed once, for any an earlier version left without an owner.
 */
public final class KubernetesBackend implements ContainerBackend {
  static final long RECONCILE_SECONDS = 30;
  static final long FAILED_START_DELAY_SECONDS = 1;
  static final long DISCONNECTED_GRACE_SECONDS = 5;
  /**
   * How long after its grace period ran out a pod that is still there is deleted by force. A kubelet confirms a
   * pod's end within seconds of its container's; a pod that outlives its grace by this much is on a node that no
   * longer answers.
   */
  static final long FORCE_AFTER_SECONDS = 30;
  /**
   * How long the running pods of an earlier life of the control plane are kept, so that their containers may
   * reconnect and be adopted ({@link #adopt}): a restarted control plane recovers its apps and listens within a
   * minute, and a container that reconnects does so within seconds of that.
   */
  static final long ADOPTION_WINDOW_SECONDS = 120;
  /** How long close() lets the pods being created finish, so that none is made after it deleted the others. */
  private static final long CREATING_WAIT_SECONDS = 30;
  /** How long closing waits for the watch to report the deletions it made. */
  private static final long DELETIONS_SEEN_WAIT_MILLIS = 10_000;
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
  /**
   * The pods of this instance that were there when this backend started: an earlier life's, which may be adopted
   * within {@link #ADOPTION_WINDOW_SECONDS}; by name.
   */
  private final java.util.Set<String> earlier = ConcurrentHashMap.newKeySet();
  private final Instant startedAt = Instant.now();
  private final SharedIndexInformer<Pod> informer;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService creator;
  private volatile boolean closed;

  public KubernetesBackend(KubernetesClient client, KubernetesOptions options) {
    this.client = client;
    this.options = options;
    // inform() returns once the informer has listed the pods, so the cache is whole for the first reconciliation.
    this.informer = client.pods().inNamespace(options.namespace())
        .withLabel(ContainerPods.INSTANCE, options.instance())
        .inform(new PodEvents());
    try {
      informer.getStore().list().forEach(p -> earlier.add(p.getMetadata().getName()));
      if (!earlier.isEmpty()) {
        LOG.log(System.Logger.Level.INFO, earlier.size() + " pods of instance " + options.instance() + " are left"
            + " from before this control plane started; those running may be adopted within "
            + ADOPTION_WINDOW_SECONDS + " s, the others are deleted");
      }
      reconcile();
      deleteSecretsWithoutOwner();
    } catch (RuntimeException e) {
      informer.close();
      throw e;
    }
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "shoal-kubernetes-reconciler");
      t.setDaemon(true);
      return t;
    });
    this.creator = Executors.newFixedThreadPool(options.createParallelism(),
        Thread.ofVirtual().name("shoal-pod-create-", 0).factory());
    scheduler.scheduleWithFixedDelay(this::reconcileQuietly, RECONCILE_SECONDS, RECONCILE_SECONDS,
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
    PodContainer container = new PodContainer(spec.containerId(), ContainerPods.podName(spec.containerId()),
        onExit);
    // Known before the pod exists, so that reconciliation never takes it for an orphan.
    live.put(spec.containerId(), container);
    Pod pod;
    try {
      pod = ContainerPods.pod(spec, options);
    } catch (IllegalArgumentException e) {
      // Such as an app started with local paths: every container of it would fail the same way, which the
      // control plane turns into the function's init failure after a few.
      failed(container, e.getMessage());
      return container;
    }
    try {
      creator.execute(() -> create(container, spec, pod, 1));
    } catch (RejectedExecutionException e) {
      live.remove(spec.containerId());
      return NOT_STARTED; // Closed meanwhile.
    }
    return container;
  }

  /**
   * Makes a container's pod, then its secret; on the creation pool. An error that passes (see {@link ApiErrors})
   * is tried again after a backoff, from the step that failed, for as long as the container is wanted: the
   * control plane sees a container that is slow to start, never one that failed. A refusal ends the container's
   * start with the API server's answer.
   */
  private void create(PodContainer c, ContainerSpec spec, Pod pod, int attempt) {
    if (c.killed || closed) {
      if (c.created) {
        c.deletePod();
      } else {
        ended(c, PodOutcome.deletedByControlPlane("it was ended before its pod was made"), true);
      }
      return;
    }
    String step = c.created ? "the token secret of pod " + c.podName : "pod " + c.podName;
    try {
      if (!c.created) {
        c.pod = createPod(pod);
        c.created = true;
        if (c.killed) {
          c.deletePod(); // Killed while its pod was being made.
          return;
        }
      }
      try {
        client.secrets().inNamespace(options.namespace())
            .resource(ContainerPods.tokenSecret(spec, options, c.pod)).create();
      } catch (KubernetesClientException e) {
        if (!ApiErrors.alreadyExists(e)) {
          throw e; // A secret that exists was made by an earlier attempt whose answer was lost.
        }
      }
    } catch (KubernetesClientException e) {
      if (ApiErrors.passing(e) && !closed) {
        long wait = ApiErrors.backoffMillis(attempt + 1, ThreadLocalRandom.current().nextDouble());
        LOG.log(System.Logger.Level.INFO, "cannot create " + step + " yet (" + ApiErrors.describe(e)
            + "); trying again in " + wait + " ms, attempt " + (attempt + 1));
        c.waiting = "the API server answered " + ApiErrors.describe(e) + "; Shoal keeps trying";
        laterMillis(() -> createQuietly(c, spec, pod, attempt + 1), wait);
        return;
      }
      String why = "cannot create " + step + " in namespace " + options.namespace() + ": "
          + ApiErrors.describe(e);
      LOG.log(System.Logger.Level.WARNING, why, e);
      failed(c, why);
    }
  }

  /**
   * Takes over the pod of {@code containerId} that an earlier life of the control plane made, if it is in the
   * informer's cache, running and not yet deleted: reconciliation keeps it from then on, and it ends as any pod of
   * this backend does.
   */
  @Override
  public java.util.Optional<ContainerHandle> adopt(String containerId, ContainerExitListener onExit) {
    String name = ContainerPods.podName(containerId);
    Pod pod = informer.getStore().getByKey(options.namespace() + "/" + name);
    if (closed || pod == null || !earlier.contains(name) || pod.getMetadata().getDeletionTimestamp() != null
        || PodOutcome.of(pod) != null
        || !containerId.equals(pod.getMetadata().getLabels().get(ContainerPods.CONTAINER))) {
      return java.util.Optional.empty();
    }
    PodContainer container = new PodContainer(containerId, name, onExit);
    container.pod = pod;
    container.created = true;
    if (live.putIfAbsent(containerId, container) != null) {
      return java.util.Optional.empty(); // Adopted already.
    }
    LOG.log(System.Logger.Level.INFO, "adopted pod " + name + " of an earlier life of the control plane");
    return java.util.Optional.of(container);
  }

  /** {@link #create} again on the creation pool, unless the backend closed meanwhile. */
  private void createQuietly(PodContainer c, ContainerSpec spec, Pod pod, int attempt) {
    try {
      creator.execute(() -> create(c, spec, pod, attempt));
    } catch (RejectedExecutionException e) {
      create(c, spec, pod, attempt); // Closed: ends the container on this thread.
    }
  }

  /**
   * Creates {@code pod}; a pod of that name that exists already is the one an earlier attempt made, whose answer
   * was lost, so it is taken as made.
   */
  private Pod createPod(Pod pod) {
    try {
      return client.pods().inNamespace(options.namespace()).resource(pod).create();
    } catch (KubernetesClientException e) {
      if (ApiErrors.alreadyExists(e)) {
        Pod existing = client.pods().inNamespace(options.namespace()).withName(pod.getMetadata().getName()).get();
        if (existing != null) {
          return existing;
        }
      }
      throw e;
    }
  }

  /**
   * Ends a container whose pod could not be made, such as while the API server cannot be reached: its pod, if
   * made, is deleted, and its exit is told after {@link #FAILED_START_DELAY_SECONDS}, not at once. The control
   * plane replaces a container that exits, and an exit told at once would make it try again at once, in a loop as
   * fast as the failures come.
   */
  private void failed(PodContainer c, String why) {
    c.failure = why;
    c.killed = true;
    if (c.created) {
      c.deletePod();
    }
    later(() -> ended(c, new PodOutcome(ContainerExit.Cause.NOT_STARTED, -1, "", why), true),
        FAILED_START_DELAY_SECONDS);
  }

  /** Whether the informer's cache holds the pod {@code name} as {@code state} says; for tests. */
  boolean informerHas(String name, java.util.function.Predicate<Pod> state) {
    Pod pod = informer.getStore().getByKey(options.namespace() + "/" + name);
    return pod != null && state.test(pod);
  }

  /** The containers of this backend whose pods are live; for tests. */
  int liveContainers() {
    return live.size();
  }

  /**
   * Deletes every pod of this instance in the informer's cache that no live container owns, and deletes by force
   * every pod that is still there {@link #FORCE_AFTER_SECONDS} after its grace period ran out.
   */
  void reconcile() {
    reconcile(Instant.now());
  }

  /** {@link #reconcile()} as at {@code now}; for tests, which need not wait for a grace period to run out. */
  void reconcile(Instant now) {
    for (Pod pod : informer.getStore().list()) {
      String deletion = pod.getMetadata().getDeletionTimestamp();
      if (deletion == null && !owned(pod) && !adoptable(pod, now)) {
        LOG.log(System.Logger.Level.INFO, "deleting pod " + pod.getMetadata().getName()
            + ", which no live container of this control plane owns");
        client.pods().inNamespace(options.namespace()).resource(pod).delete();
      } else if (deletion != null && now.isAfter(Instant.parse(deletion).plusSeconds(FORCE_AFTER_SECONDS))) {
        forceDelete(pod, deletion);
      } else if (deletion == null) {
        endIfUnschedulable(pod, now);
      }
    }
  }

  /**
   * Ends the container of a pod the scheduler has found no node for within the schedule timeout. The informer hears
   * of a pod only when it changes, and an unschedulable pod may not change for minutes; hence this look at each
   * reconciliation.
   */
  private void endIfUnschedulable(Pod pod, Instant now) {
    PodContainer c = liveContainerOf(pod);
    PodOutcome outcome = c == null || c.killed || c.failure != null ? null
        : PodOutcome.cannotStart(pod, now, options.scheduleTimeout());
    if (outcome != null) {
      c.waiting = PodOutcome.waitingReason(pod);
      ended(c, outcome, false);
    }
  }

  private PodContainer liveContainerOf(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? null : live.get(labels.getOrDefault(ContainerPods.CONTAINER, ""));
  }

  /**
   * Deletes a pod by force: its deletion was due at {@code due} (the API server's {@code deletionTimestamp} is the
   * moment its grace period runs out), and no kubelet has confirmed that its containers stopped since. Its node is
   * lost or cut off; the control plane has given up on the container, and a pod that stayed would hold its place in
   * the namespace's quota for good. Its process, if it still runs on a node cut off from the cluster, can do no
   * harm: its token is no longer known to the control plane.
   */
  private void forceDelete(Pod pod, String due) {
    String name = pod.getMetadata().getName();
    LOG.log(System.Logger.Level.WARNING, "pod " + name + " was due to be gone at " + due
        + " and is still there; its node may be lost: deleting it by force");
    try {
      client.pods().inNamespace(options.namespace()).resource(pod).withGracePeriod(0).delete();
    } catch (KubernetesClientException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot delete pod " + name + " by force; trying again later", e);
      return;
    }
    PodContainer c = liveContainerOf(pod);
    if (c != null) {
      ended(c, PodOutcome.deletedByControlPlane("its pod did not end within its grace period and was deleted by"
          + " force; its node may be lost" + c.waitingNote()), true);
    }
  }

  /**
   * Whether {@code pod} is an earlier life's that still runs, within the adoption window: kept, so that its
   * container may reconnect and be adopted. One that ended has nothing left to adopt, and one that never ran (not
   * {@code Running}: pending, or with no status yet) never connected, so it holds no work either.
   */
  private boolean adoptable(Pod pod, Instant now) {
    return earlier.contains(pod.getMetadata().getName()) && PodOutcome.of(pod) == null
        && pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
        && !now.isAfter(startedAt.plusSeconds(ADOPTION_WINDOW_SECONDS));
  }

  /**
   * Deletes the token secrets of this instance that have no owner. Each is owned by its pod, which Kubernetes
   * deletes it with; this is for secrets an earlier version of the backend left without an owner.
   */
  private void deleteSecretsWithoutOwner() {
    for (Secret secret : client.secrets().inNamespace(options.namespace())
        .withLabel(ContainerPods.INSTANCE, options.instance()).list().getItems()) {
      if (secret.getMetadata().getOwnerReferences() == null
          || secret.getMetadata().getOwnerReferences().isEmpty()) {
        client.secrets().inNamespace(options.namespace()).resource(secret).delete();
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

  private void deleteQuietly(Pod pod) {
    try {
      client.pods().inNamespace(options.namespace()).resource(pod).delete();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "cannot delete pod " + pod.getMetadata().getName() + "; reconciliation will",
          e);
    }
  }

  /** Runs {@code task} after {@code seconds}, or now when the backend is closing and nothing would run it later. */
  private void later(Runnable task, long seconds) {
    laterMillis(task, TimeUnit.SECONDS.toMillis(seconds));
  }

  private void laterMillis(Runnable task, long millis) {
    try {
      scheduler.schedule(task, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  /** Reports a container's exit once, forgets it and deletes what is left of its pod. */
  private void ended(PodContainer c, PodOutcome outcome, boolean podGone) {
    if (!c.report()) {
      return;
    }
    live.remove(c.id);
    String detail = outcome.detail();
    if (!podGone && outcome.exitCode() != 0 && outcome.cause() != ContainerExit.Cause.NOT_STARTED) {
      // A pod that never started has no output to tell.
      detail = detail + PodOutcome.logTail(client, options.namespace(), c.podName);
    }
    if (!podGone) {
      // A pod that is gone took its secret with it, as its owner.
      c.deletePodQuietly();
    }
    if (!c.killed && outcome.exitCode() != 0) {
      // The control plane logs that the container crashed; why, in Kubernetes' words, is told here.
      LOG.log(System.Logger.Level.INFO, "container " + c.id + " ended: " + detail);
    }
    c.onExit.exited(c.id, outcome.toExit(detail));
  }

  /** Pods run on without their control plane, and their containers reconnect to its next life (see {@link #adopt}). */
  @Override
  public boolean handsOverContainers() {
    return true;
  }

  /**
   * Leaves every pod running for the next life of the control plane, which adopts those whose containers reconnect
   * within its adoption window and deletes the rest; a pod whose container finds no control plane within its
   * reconnect window ({@code SHOAL_RECONNECT_SECONDS}) ends by itself. A pod still being made is finished first,
   * as {@link #close} does; its container has served nothing, and the next life refuses it.
   */
  @Override
  public void handOver() {
    stopWorkers();
    informer.close();
    LOG.log(System.Logger.Level.INFO, "leaving " + live.size() + " pods of instance " + options.instance()
        + " running for the next control plane to adopt");
    live.clear();
  }

  @Override
  public void close() {
    stopWorkers();
    List<PodContainer> all = List.copyOf(live.values());
    // Deleted gracefully, as any: each container gets its grace to stop (a Cls instance its close()), which
    // Kubernetes enforces after the control plane is gone.
    List<PodContainer> deleted = new ArrayList<>();
    for (PodContainer c : all) {
      c.killed = true;
      if (c.created && c.deletePodQuietly()) {
        deleted.add(c);
      }
    }
    awaitDeletionsSeen(deleted);
    informer.close();
    for (PodContainer c : all) {
      ended(c, PodOutcome.deletedByControlPlane("the control plane stopped"), true);
    }
  }

  /** Stops reconciling and waits, for a bounded time, for the pods being made, so that none is made after this. */
  private void stopWorkers() {
    closed = true;
    scheduler.shutdownNow();
    creator.shutdown();
    try {
      creator.awaitTermination(CREATING_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits, for a bounded time, until the informer's cache holds none of {@code deleted}'s pods, so that the watch
   * is closed with nothing in flight: the API server is not left sending events to a closing stream (a test's
   * mock API server would even stall its own shutdown on them), and the deletions are known to have been taken.
   */
  private void awaitDeletionsSeen(List<PodContainer> deleted) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DELETIONS_SEEN_WAIT_MILLIS);
    for (PodContainer c : deleted) {
      String key = options.namespace() + "/" + c.podName;
      while (informer.getStore().getByKey(key) != null && System.nanoTime() < deadline) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
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
      earlier.remove(pod.getMetadata().getName());
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
        if (earlier.contains(pod.getMetadata().getName()) && !owned(pod) && PodOutcome.of(pod) != null
            && pod.getMetadata().getDeletionTimestamp() == null) {
          // An earlier life's container that ended without being adopted: nothing is left to wait for.
          Thread.ofVirtual().name("shoal-pod-delete-" + pod.getMetadata().getName())
              .start(() -> deleteQuietly(pod));
        }
        return;
      }
      String waiting = PodOutcome.waitingReason(pod);
      if (waiting != null && !waiting.equals(c.waiting)) {
        // Such as a pod waiting for a node the autoscaler adds, or for its image: said once, as it changes.
        LOG.log(System.Logger.Level.INFO, "pod " + c.podName + " of container " + c.id + " waits: " + waiting);
      }
      c.waiting = waiting;
      PodOutcome outcome = PodOutcome.of(pod);
      if (outcome == null && !c.killed) {
        // Drained, evicted or preempted while it runs: its inputs are put back in the queue now, not when its
        // grace period ends, and its pod is deleted.
        outcome = PodOutcome.leaving(pod);
      }
      if (outcome == null && !c.killed) {
        outcome = PodOutcome.cannotStart(pod, Instant.now(), options.scheduleTimeout());
      }
      if (outcome != null) {
        PodOutcome ended = outcome;
        // A pod being deleted already, by whoever deleted it, is left to its grace period: deleting it again
        // would change nothing, and by force would cut short the stop it is owed.
        boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
        Thread.ofVirtual().name("shoal-pod-exit-" + c.id).start(() -> ended(c, ended, deleting));
      }
    }

    /** The live container of a pod; none for one whose creation failed, which {@link #failed} reports. */
    private PodContainer containerOf(Pod pod) {
      PodContainer c = liveContainerOf(pod);
      return c == null || c.failure != null ? null : c;
    }
  }

  /** A container that is a pod, as the control plane holds it. */
  private final class PodContainer implements ContainerHandle {
    final String id;
    final String podName;
    final ContainerExitListener onExit;
    /** Why the pod's container is waiting to run, such as ImagePullBackOff; null while it is not waiting. */
    volatile String waiting;
    /** Whether the control plane ended it, or it failed to start; its pod is then being deleted. */
    volatile boolean killed;
    /** Whether its pod was made: until then, killing it is the creating thread's to carry out. */
    volatile boolean created;
    /** Its pod as the API server answered its creation; null until made. */
    volatile Pod pod;
    /** Why its pod could not be made; its exit is then told by {@link #failed}, and the informer ignores it. */
    volatile String failure;
    private final AtomicBoolean reported = new AtomicBoolean();

    PodContainer(String id, String podName, ContainerExitListener onExit) {
      this.id = id;
      this.podName = podName;
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

    /**
     * While its pod is {@code Pending}: waiting for a node (bounded by the schedule timeout) or creating its
     * containers, pulling the image included (a pull that fails ends the start at once).
     */
    @Override
    public boolean awaitingPlatform() {
      Pod current = informer.getStore().getByKey(options.namespace() + "/" + podName);
      return current != null && current.getStatus() != null && "Pending".equals(current.getStatus().getPhase());
    }

    @Override
    public void kill() {
      if (killed || reported.get()) {
        return;
      }
      killed = true;
      if (created) {
        deletePod();
      }
    }

    /**
     * Deletes the pod gracefully, whose deletion the informer then reports as the container's exit. Kubernetes
     * sends its container SIGTERM, on which the runtime stops as a Shutdown would stop it, and kills it when the
     * pod's grace period ({@link ContainerPods#terminationGraceSeconds}) runs out; reconciliation deletes by force a
     * pod whose node never confirms.
     */
    void deletePod() {
      String note = waitingNote();
      try {
        boolean deleted = !client.pods().inNamespace(options.namespace()).withName(podName).delete().isEmpty();
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

    /** Deletes the pod gracefully, as {@link #deletePod}; whether the API server took the deletion. */
    boolean deletePodQuietly() {
      try {
        client.pods().inNamespace(options.namespace()).withName(podName).delete();
        return true;
      } catch (RuntimeException e) {
        // Reconciliation deletes what is left; a client that is closed or cannot reach the API server throws more
        // than KubernetesClientException.
        LOG.log(System.Logger.Level.DEBUG, "cannot delete pod " + podName, e);
        return false;
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
      later(this::kill, DISCONNECTED_GRACE_SECONDS);
    }

    @Override
    public boolean isAlive() {
      return !reported.get();
    }

    @Override
    public long pid() {
      return -1;
    }

    @Override
    public String reference() {
      return "pod " + podName;
    }
  }
}
