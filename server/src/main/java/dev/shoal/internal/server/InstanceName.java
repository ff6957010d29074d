package dev.shoal.internal.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default {@code --kube-instance}: the label that tells this control plane's pods from every other's, which it
 * alone may delete. It must be unique, so that a second control plane on the same namespace (a laptop beside the
 * cluster's) never deletes the first one's pods, and stable, so that a control plane that restarts finds the pods
 * it left and cleans them up rather than leaking them.
 *
 * <ul>
 *   <li>In a pod: its namespace and the name of the workload that made it, which a restart and a rolling upgrade
 *       keep: a Deployment's pod {@code shoal-7d9f8c6b5d-x2x7q} gives {@code NAMESPACE-shoal}; a StatefulSet's pod
 *       name is already stable.
 *   <li>Elsewhere: {@code local-}, the host's name and a hash of the data directory, which a server keeps across
 *       restarts and two servers on one machine never share.
 * </ul>
 */
final class InstanceName {
  private static final int MAX_LENGTH = 63;
  /** A Deployment's pod: its name, the ReplicaSet's template hash, and the pod's own five characters. */
  private static final Pattern DEPLOYMENT_POD = Pattern.compile("(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}");

  private InstanceName() {}

  /** The default for a control plane in a pod named {@code podName}, in namespace {@code namespace}. */
  static String inPod(String namespace, String podName) {
    Matcher deployment = DEPLOYMENT_POD.matcher(podName);
    return label(namespace + "-" + (deployment.matches() ? deployment.group(1) : podName));
  }

  /** The default for a control plane outside a cluster, on host {@code hostName} with {@code dataDir}. */
  static String outsideCluster(String hostName, Path dataDir) {
    return label("local-" + hash(dataDir.toAbsolutePath().normalize().toString()).substring(0, 8) + "-" + hostName);
  }

  /**
   * The default for this process: in a pod when Kubernetes' variables say so ({@code KUBERNETES_SERVICE_HOST}, and
   * the pod's name in {@code HOSTNAME}).
   */
  static String forThisProcess(String homeNamespace, Path dataDir) {
    Optional<String> pod = podOfThisProcess();
    if (pod.isPresent()) {
      return inPod(homeNamespace, pod.get());
    }
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "host";
    }
    return outsideCluster(host, dataDir);
  }

  /** The name of the pod this process runs in, as Kubernetes tells a pod's processes; empty outside a cluster. */
  static Optional<String> podOfThisProcess() {
    return Optional.ofNullable(System.getenv("KUBERNETES_SERVICE_HOST"))
        .flatMap(k -> Optional.ofNullable(System.getenv("HOSTNAME"))).filter(h -> !h.isBlank());
  }

  /** {@code name} as a label value: lower case, [a-z0-9-], at most 63 characters, alphanumeric at both ends. */
  static String label(String name) {
    String cleaned = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-")
        .replaceAll("^-+|-+$", "");
    if (cleaned.length() > MAX_LENGTH) {
      // Cut, with a hash of the whole name, so that two long names that share their start stay apart.
      cleaned = cleaned.substring(0, MAX_LENGTH - 9).replaceAll("-+$", "") + "-" + hash(name).substring(0, 8);
    }
    return cleaned.isEmpty() ? "shoal" : cleaned;
  }

  private static String hash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
