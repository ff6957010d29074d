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
 */
public record KubernetesOptions(String namespace, String image, String target, int capacity, String instance) {
  /** A DNS-1123 label, as a namespace name and a label value Shoal uses as one must be. */
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  public static final String DEFAULT_INSTANCE = "shoal";

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
  }
}
