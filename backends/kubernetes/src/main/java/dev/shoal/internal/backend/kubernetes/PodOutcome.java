package dev.shoal.internal.backend.kubernetes;

import dev.shoal.internal.controlplane.backend.ContainerExit;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * How a container pod ended, as the control plane's exit listener hears it: its cause, an exit code (-1 where the
 * runtime container never ran or left none, such as an evicted pod) and what Kubernetes says of why, such as
 * {@code OOMKilled}. The control plane treats every exit of a container it did not ask to end as a crash: the
 * inputs it held go back in the queue. Only an exit of the container's own counts against its function's start:
 * an OOM kill, an eviction or a pod deleted from outside says nothing of the function's code.
 *
 * @param cause how the pod ended, in the terms every backend uses
 * @param exitCode the runtime container's exit code, or -1
 * @param reason why, in a few words for the app's log, such as {@code OOMKilled} or {@code Evicted (The node was
 *     low on resource: memory.)}; empty when Kubernetes said nothing
 * @param detail why, in words, for the control plane's log: the pod, its phase and what Kubernetes said
 */
record PodOutcome(ContainerExit.Cause cause, int exitCode, String reason, String detail) {
  private static final int LOG_LINES = 20;
  private static final String OOM_HINT = " (its memory limit is the function's memoryMb plus the launcher's share; raise memoryMb)";
  /**
   * The pod reasons Kubernetes gives when it took a pod's place away rather than the pod failing: an eviction
   * (node pressure or the eviction API), a preemption, a node that shut down or was lost.
   */
  private static final Set<String> EVICTIONS =
      Set.of("Evicted", "Preempting", "Shutdown", "NodeShutdown", "Terminated", "NodeLost");
  /** The waiting reasons of a container whose image the kubelet cannot pull. */
  private static final Set<String> IMAGE_FAILURES =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");
  /** The reason of the PodScheduled condition of a pod the scheduler found no node for. */
  private static final String UNSCHEDULABLE = "Unschedulable";
  /** The pod condition (Kubernetes 1.26 and later) that marks a pod a disruption ended. */
  private static final String DISRUPTION_TARGET = "DisruptionTarget";

  /** An outcome that Kubernetes did not tell, such as that of a pod someone deleted before it ended. */
  static PodOutcome untold(String why) {
    return new PodOutcome(ContainerExit.Cause.KILLED, -1, why, why);
  }

  /**
   * The outcome of a pod the control plane deleted before Kubernetes said how it ended: the app's log already says
   * what the control plane did and why, so the reason is empty.
   */
  static PodOutcome deletedByControlPlane(String detail) {
    return new PodOutcome(ContainerExit.Cause.STOPPED, -1, "", detail);
  }

  /** The outcome as the control plane's exit listener takes it, with {@code detail} for its detail. */
  ContainerExit toExit(String detail) {
    return new ContainerExit(cause, exitCode, reason, detail);
  }

  /** How the pod ended, or null while it has not. */
  static PodOutcome of(Pod pod) {
    PodStatus status = pod.getStatus();
    if (status == null) {
      return null;
    }
    String phase = status.getPhase();
    if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
      return null;
    }
    ContainerStateTerminated terminated = runtimeState(status) == null ? null
        : runtimeState(status).getTerminated();
    StringBuilder detail = new StringBuilder("pod ").append(pod.getMetadata().getName()).append(' ')
        .append(phase.toLowerCase(java.util.Locale.ROOT));
    StringBuilder reason = new StringBuilder();
    if (status.getReason() != null) {
      reason.append(status.getReason());
      if (status.getMessage() != null) {
        reason.append(" (").append(status.getMessage()).append(')');
      }
      detail.append(": ").append(reason);
    }
    boolean evicted = (status.getReason() != null && EVICTIONS.contains(status.getReason())) || disrupted(status);
    if (terminated == null) {
      ContainerExit.Cause cause = "Succeeded".equals(phase) ? ContainerExit.Cause.EXITED
          : evicted ? ContainerExit.Cause.EVICTED : ContainerExit.Cause.KILLED;
      return new PodOutcome(cause, "Succeeded".equals(phase) ? 0 : -1, reason.toString(), detail.toString());
    }
    int code = terminated.getExitCode() == null ? -1 : terminated.getExitCode();
    if (terminated.getReason() != null) {
      String separator = status.getReason() != null ? "; " : ": ";
      reason.append(reason.isEmpty() ? "" : "; ").append(terminated.getReason());
      detail.append(separator).append(terminated.getReason());
    }
    detail.append(" (exit code ").append(code).append(')');
    if ("OOMKilled".equals(terminated.getReason())) {
      reason.append(OOM_HINT);
      detail.append(": its memory limit is the function's memoryMb");
    }
    if (terminated.getMessage() != null && !terminated.getMessage().isBlank()) {
      detail.append("; it ended with:\n").append(terminated.getMessage().strip());
    }
    ContainerExit.Cause cause = "OOMKilled".equals(terminated.getReason()) ? ContainerExit.Cause.OUT_OF_MEMORY
        : evicted ? ContainerExit.Cause.EVICTED
        : code < 0 ? ContainerExit.Cause.KILLED
        : ContainerExit.causeOfProcessStatus(code);
    return new PodOutcome(cause, code, reason.toString(), detail.toString());
  }

  /**
   * The outcome of a pod that still runs but is on its way out without the control plane having asked: Kubernetes
   * set its {@code deletionTimestamp} (a drain, the eviction API, someone's {@code kubectl delete}) or marked it
   * a {@code DisruptionTarget} (a preemption, a node shutting down). Its container should take no more inputs, and
   * those it holds should run elsewhere now rather than when its grace period ends; null for a pod that stays.
   */
  static PodOutcome leaving(Pod pod) {
    boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
    if (!deleting && (pod.getStatus() == null || !disrupted(pod.getStatus()))) {
      return null;
    }
    String why = deleting ? "its pod is being deleted (since " + pod.getMetadata().getDeletionTimestamp() + ")"
        : "its pod is a disruption target" + disruption(pod.getStatus());
    return new PodOutcome(ContainerExit.Cause.EVICTED, -1, "Evicted (" + why + ")",
        "pod " + pod.getMetadata().getName() + " is leaving: " + why);
  }

  private static String disruption(PodStatus status) {
    return status.getConditions().stream()
        .filter(c -> DISRUPTION_TARGET.equals(c.getType()) && "True".equals(c.getStatus()))
        .map(c -> (c.getReason() == null ? "" : ": " + c.getReason())
            + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"))
        .findFirst().orElse("");
  }

  private static boolean disrupted(PodStatus status) {
    return status.getConditions() != null && status.getConditions().stream()
        .anyMatch(c -> DISRUPTION_TARGET.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * Why the runtime container waits to run, such as {@code ImagePullBackOff: ...}, or why the pod waits for a node
   * ({@code Unschedulable: 0/3 nodes are available: ...}); null when it does not wait.
   */
  static String waitingReason(Pod pod) {
    String unschedulable = unschedulable(pod);
    if (unschedulable != null) {
      return unschedulable;
    }
    ContainerState state = pod.getStatus() == null ? null : runtimeState(pod.getStatus());
    if (state == null || state.getWaiting() == null || state.getWaiting().getReason() == null) {
      return null;
    }
    String message = state.getWaiting().getMessage();
    return state.getWaiting().getReason() + (message == null || message.isBlank() ? "" : ": " + message);
  }

  /**
   * The outcome of a pod that cannot start, or null while it may: its image cannot be pulled (at once: the
   * kubelet has tried, and the control plane tries a new container after its own backoff), or the scheduler has
   * found no node for it for longer than {@code scheduleTimeout} since it was made (a cluster autoscaler adding a
   * node gets that long). Its container did not start, which counts against the function's start, with Kubernetes'
   * reason in the function's start failure.
   */
  static PodOutcome cannotStart(Pod pod, Instant now, Duration scheduleTimeout) {
    String name = pod.getMetadata().getName();
    ContainerState state = pod.getStatus() == null ? null : runtimeState(pod.getStatus());
    if (state != null && state.getWaiting() != null && IMAGE_FAILURES.contains(state.getWaiting().getReason())) {
      String why = "pod " + name + " cannot pull its image: " + waitingReason(pod);
      return new PodOutcome(ContainerExit.Cause.NOT_STARTED, -1, state.getWaiting().getReason(), why);
    }
    String unschedulable = unschedulable(pod);
    String created = pod.getMetadata().getCreationTimestamp();
    if (unschedulable == null || created == null
        || !now.isAfter(Instant.parse(created).plus(scheduleTimeout))) {
      return null;
    }
    String why = "pod " + name + " found no node within the schedule timeout of " + scheduleTimeout.toSeconds()
        + " s (--kube-schedule-timeout): " + unschedulable;
    return new PodOutcome(ContainerExit.Cause.NOT_STARTED, -1, "Unschedulable", why);
  }

  /** The scheduler's reason for finding no node for the pod, from its PodScheduled condition; null if it did. */
  private static String unschedulable(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
            && UNSCHEDULABLE.equals(c.getReason()))
        .map(c -> UNSCHEDULABLE + (c.getMessage() == null || c.getMessage().isBlank() ? "" : ": " + c.getMessage()))
        .findFirst().orElse(null);
  }

  private static ContainerState runtimeState(PodStatus status) {
    List<ContainerStatus> containers = status.getContainerStatuses();
    if (containers == null) {
      return null;
    }
    return containers.stream()
        .filter(c -> ContainerPods.RUNTIME_CONTAINER.equals(c.getName()))
        .map(ContainerStatus::getState)
        .findFirst()
        .orElse(null);
  }

  /** The last lines the pod printed, to explain a container that failed; empty when they cannot be read. */
  static String logTail(KubernetesClient client, String namespace, String podName) {
    try {
      String log = client.pods().inNamespace(namespace).withName(podName).inContainer(ContainerPods.RUNTIME_CONTAINER)
          .tailingLines(LOG_LINES).getLog();
      return log == null || log.isBlank() ? "" : "; its output ended with:\n" + log.strip();
    } catch (KubernetesClientException e) {
      return "";
    }
  }
}
