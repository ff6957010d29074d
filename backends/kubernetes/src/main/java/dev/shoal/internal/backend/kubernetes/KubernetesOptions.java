package dev.shoal.internal.backend.kubernetes;

import java.util.regex.Pattern;

/**
 * How the Kubernetes backend runs containers.
 *
 * @param namespace where container pods and their token secrets are made; the control plane's service account
 *     needs rights on pods and secrets there, and nothing more
 * @param image the generic runtime image every container pod runs
 * @param target where pods reach the control plane ({@code host:port}), usually its Service's name
 * @param capacity the most container pods at once, across every function
 * @param instance tells this control plane's pods from another's in the same namespace; reconciliation deletes
 *     only pods that carry its own instance label
 * @param gpuLabel the node label whose value a function's GPU type must equal: a pod of {@code gpu("A100:2")}
 *     gets the node selector {@code gpuLabel: A100}; empty selects no nodes by type (the type is then only an
 *     annotation, and any node with free GPUs will do)
 */
public record KubernetesOptions(String namespace, String image, String target, int capacity, String instance,
    String gpuLabel) {
  /** A DNS-1123 label, as a namespace name and a label value Shoal uses as one must be. */
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  /** A label key: an optional DNS subdomain and '/', then a name of up to 63 characters. */
  private static final Pattern LABEL_KEY = Pattern.compile(
      "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
          + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  public static final String DEFAULT_INSTANCE = "shoal";
  /** The label that NVIDIA's GPU feature discovery puts on a node, such as {@code NVIDIA-A100-SXM4-80GB}. */
  public static final String DEFAULT_GPU_LABEL = "nvidia.com/gpu.product";

  /** Options that select GPU nodes by {@link #DEFAULT_GPU_LABEL}. */
  public KubernetesOptions(String namespace, String image, String target, int capacity, String instance) {
    this(namespace, image, target, capacity, instance, DEFAULT_GPU_LABEL);
  }

  public KubernetesOptions {
    if (namespace == null || !DNS_LABEL.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "a Kubernetes namespace is 1..63 characters of [a-z0-9-] starting and ending alphanumeric, was '"
              + namespace + "'");
    }
    if (image == null || image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("the runtime image must be an image reference without spaces, was '"
          + image + "'");
    }
    if (target == null || !target.matches("[^\\s:]+:\\d{1,5}")) {
      throw new IllegalArgumentException(
          "the address pods reach the control plane at must be HOST:PORT, was '" + target + "'");
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("the most container pods at once must be at least 1, was " + capacity);
    }
    if (instance == null || !DNS_LABEL.matcher(instance).matches()) {
      throw new IllegalArgumentException(
          "an instance name is 1..63 characters of [a-z0-9-] starting and ending alphanumeric, was '" + instance
              + "'");
    }
    if (gpuLabel == null || !gpuLabel.isEmpty() && (!LABEL_KEY.matcher(gpuLabel).matches()
        || gpuLabel.indexOf('/') > 253)) {
      throw new IllegalArgumentException("the GPU node label must be a label key such as " + DEFAULT_GPU_LABEL
          + " ([PREFIX/]NAME), or empty to select no nodes by GPU type, was '" + gpuLabel + "'");
    }
  }
}
