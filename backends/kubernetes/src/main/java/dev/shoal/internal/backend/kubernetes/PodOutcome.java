package dev.shoal.internal.backend.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;

/**
 * How a container pod ended, as the control plane's exit listener hears it: an exit code (-1 where the runtime
 * container never ran or left none, such as an evicted pod) and what Kubernetes says of why, such as
 * {@code OOMKilled}. The control plane treats every exit of a container it did not ask to end as a crash: the
 * inputs it held go back in the queue.
 *
 * @param exitCode the runtime container's exit code, or -1
 * @param detail why, in words
 */
record PodOutcome(int exitCode, String detail) {
  private static final int LOG_LINES = 20;

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
    if (status.getReason() != null) {
      detail.append(": ").append(status.getReason());
      if (status.getMessage() != null) {
        detail.append(" (").append(status.getMessage()).append(')');
      }
    }
    if (terminated == null) {
      return new PodOutcome("Succeeded".equals(phase) ? 0 : -1, detail.toString());
    }
    int code = terminated.getExitCode() == null ? -1 : terminated.getExitCode();
    if (terminated.getReason() != null) {
      detail.append(status.getReason() != null ? "; " : ": ").append(terminated.getReason());
    }
    detail.append(" (exit code ").append(code).append(')');
    if ("OOMKilled".equals(terminated.getReason())) {
      detail.append(": its memory limit is the function's memoryMb");
    }
    if (terminated.getMessage() != null && !terminated.getMessage().isBlank()) {
      detail.append("; it ended with:\n").append(terminated.getMessage().strip());
    }
    return new PodOutcome(code, detail.toString());
  }

  /** Why the runtime container waits to run, such as {@code ImagePullBackOff: ...}; null when it does not. */
  static String waitingReason(Pod pod) {
    ContainerState state = pod.getStatus() == null ? null : runtimeState(pod.getStatus());
    if (state == null || state.getWaiting() == null || state.getWaiting().getReason() == null) {
      return null;
    }
    String message = state.getWaiting().getMessage();
    return state.getWaiting().getReason() + (message == null || message.isBlank() ? "" : ": " + message);
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
