package dev.shoal.internal.backend.kubernetes;

import dev.shoal.internal.runtime.RemoteContainerMain;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a kubelet does for the mock API server, which stores pods but runs nothing: each pod that appears is run
 * as a real process of {@link RemoteContainerMain} with the pod's environment (its token read from the secret
 * the pod refers to), and the pod's status follows the process. A test may fail a pod as Kubernetes would, such
 * as OOMKilled, or leave a function's pods unable to pull their image or to find a node. A deleted pod's process is
 * killed.
 */
final class SimulatedNode implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final Path cache;
  private final Map<String, Process> processes = new ConcurrentHashMap<>();
  private final Set<String> failedByTest = ConcurrentHashMap.newKeySet();
  /** Functions whose pods this node cannot start, as if their image could not be pulled. */
  private final Set<String> unpullable = ConcurrentHashMap.newKeySet();
  /** Functions whose pods the scheduler finds no node for, with the scheduler's message. */
  private final Map<String, String> unschedulable = new ConcurrentHashMap<>();
  private final List<String> started = new ArrayList<>();
  private final SharedIndexInformer<Pod> informer;

  SimulatedNode(KubernetesClient client, String namespace, Path cache) {
    this.client = client;
    this.namespace = namespace;
    this.cache = cache;
    this.informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        // Off the informer's thread, which must not wait for a secret.
        Thread.ofVirtual().name("simulated-kubelet-" + pod.getMetadata().getName()).start(() -> run(pod));
      }

      @Override
      public void onUpdate(Pod before, Pod pod) {}

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        Process p = processes.remove(pod.getMetadata().getName());
        if (p != null) {
          p.destroyForcibly();
        }
      }
    });
  }

  /** The names of the pods this node ran, in order. */
  synchronized List<String> started() {
    return List.copyOf(started);
  }

  /** Leaves the pods of a function waiting with ImagePullBackOff, as a node does with an image it cannot pull. */
  void cannotPull(String function) {
    unpullable.add(function);
  }

  /** Leaves the pods of a function Pending and Unschedulable, as a scheduler does that finds no node for them. */
  void cannotSchedule(String function, String message) {
    unschedulable.put(function, message);
  }

  private void run(Pod pod) {
    String name = pod.getMetadata().getName();
    String noNode = unschedulable.get(pod.getMetadata().getLabels().get(ContainerPods.FUNCTION));
    if (noNode != null) {
      synchronized (this) {
        started.add(name);
      }
      setUnschedulable(name, noNode);
      return;
    }
    if (unpullable.contains(pod.getMetadata().getLabels().get(ContainerPods.FUNCTION))) {
      synchronized (this) {
        started.add(name);
      }
      setWaiting(name, "ImagePullBackOff", "Back-off pulling image");
      return;
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(launcherFlags());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), RemoteContainerMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    for (EnvVar e : pod.getSpec().getContainers().get(0).getEnv()) {
      builder.environment().put(e.getName(), e.getValue() != null ? e.getValue() : secretValue(e));
    }
    builder.environment().put(RemoteContainerMain.ENV_CACHE, cache.resolve(name).toString());
    builder.redirectErrorStream(true).redirectOutput(logFile(name).toFile());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    synchronized (this) {
      started.add(name);
    }
    processes.put(name, process);
    setStatus(name, "Running", null, null);
    process.onExit().thenAccept(p -> {
      if (processes.remove(name) != null && !failedByTest.contains(name)) {
        setStatus(name, p.exitValue() == 0 ? "Succeeded" : "Failed", p.exitValue() == 0 ? "Completed" : "Error",
            p.exitValue());
      }
    });
  }

  /**
   * The launcher JVM's flags in the runtime image's entry point (deploy/docker/runtime.Dockerfile), so that the
   * launchers these tests run, and measure, are the image's.
   */
  static List<String> launcherFlags() {
    String dockerfile;
    try {
      dockerfile = java.nio.file.Files.readString(Path.of("..", "..", "deploy", "docker", "runtime.Dockerfile"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    java.util.regex.Matcher entrypoint = java.util.regex.Pattern.compile("ENTRYPOINT \\[(.*?)]",
        java.util.regex.Pattern.DOTALL).matcher(dockerfile.replace("\\\n", " "));
    if (!entrypoint.find()) {
      throw new IllegalStateException("no ENTRYPOINT [...] in runtime.Dockerfile");
    }
    List<String> words = java.util.Arrays.stream(entrypoint.group(1).split(","))
        .map(w -> w.strip().replaceAll("^\"|\"$", "")).toList();
    return words.subList(1, words.indexOf("-cp"));
  }

  /** Where a pod's output goes: under target/, so that it is there to read after a failed test. */
  static Path logFile(String podName) {
    Path dir = Path.of("target", "simulated-node");
    try {
      java.nio.file.Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir.resolve(podName + ".log");
  }

  /**
   * A value of the secret an environment variable refers to. The backend makes a pod's secret just after the pod,
   * so a kubelet may look before it exists: it waits for it, as a kubelet retries a container whose secret is
   * missing.
   */
  private String secretValue(EnvVar e) {
    var ref = e.getValueFrom().getSecretKeyRef();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
        .until(() -> client.secrets().inNamespace(namespace).withName(ref.getName()).get() != null);
    return secretValue(client, namespace, ref.getName(), ref.getKey());
  }

  /** A value of a secret, as a kubelet reads it: the mock API server may keep what was written as stringData. */
  static String secretValue(KubernetesClient client, String namespace, String name, String key) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    return secret.getData() != null && secret.getData().containsKey(key)
        ? new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8)
        : secret.getStringData().get(key);
  }

  /** Ends a pod's process and marks the pod failed, as Kubernetes does when the container is killed. */
  void fail(String podName, String reason, int exitCode) {
    failedByTest.add(podName);
    Process p = processes.remove(podName);
    if (p != null) {
      p.destroyForcibly();
    }
    setStatus(podName, "Failed", reason, exitCode);
  }

  private void setWaiting(String podName, String reason, String message) {
    try {
      client.pods().inNamespace(namespace).withName(podName).editStatus(pod -> new PodBuilder(pod).withNewStatus()
          .withPhase("Pending").withContainerStatuses(new ContainerStatusBuilder()
              .withName(ContainerPods.RUNTIME_CONTAINER).withNewState().withNewWaiting().withReason(reason)
              .withMessage(message).endWaiting().endState().build())
          .endStatus().build());
    } catch (KubernetesClientException e) {
      // The pod was deleted meanwhile.
    }
  }

  private void setUnschedulable(String podName, String message) {
    try {
      client.pods().inNamespace(namespace).withName(podName).editStatus(pod -> new PodBuilder(pod).withNewStatus()
          .withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
          .withReason("Unschedulable").withMessage(message).endCondition()
          .endStatus().build());
    } catch (KubernetesClientException e) {
      // The pod was deleted meanwhile.
    }
  }

  private void setStatus(String podName, String phase, String reason, Integer exitCode) {
    try {
      client.pods().inNamespace(namespace).withName(podName).editStatus(pod -> {
        ContainerStatusBuilder status = new ContainerStatusBuilder().withName(ContainerPods.RUNTIME_CONTAINER);
        if (exitCode == null) {
          status.withNewState().withNewRunning().endRunning().endState();
        } else {
          status.withNewState().withNewTerminated().withExitCode(exitCode).withReason(reason).endTerminated()
              .endState();
        }
        return new PodBuilder(pod).withNewStatus().withPhase(phase).withContainerStatuses(status.build())
            .endStatus().build();
      });
    } catch (KubernetesClientException e) {
      // The pod was deleted meanwhile.
    }
  }

  @Override
  public void close() {
    informer.close();
    processes.values().forEach(Process::destroyForcibly);
  }
}
