package dev.shoal.internal.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's pod template ({@code --kube-pod-template FILE}): a pod whose fields every container pod starts
 * from, for what Shoal has no setting of its own, such as tolerations, node affinity, {@code imagePullSecrets}, a
 * priority class, a service account, labels and annotations.
 *
 * <p>Shoal's own fields are set over the template's, so that no template can weaken what Shoal relies on: its
 * names, labels and annotations win over the template's of the same key; its resources, restart policy, grace
 * period, service account token setting and the runtime container's image, environment and mounts win; its
 * security contexts are merged field by field over the template's, on the pod and on every container. Lists
 * of named things (containers, volumes, environment variables) are merged by name; a template's own sidecars and
 * volumes are kept.
 */
public final class PodTemplates {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  /** The lists whose items are named, and by what: such an item of Shoal's replaces the template's of that name. */
  private static final Map<String, String> KEYED_LISTS = Map.of(
      "containers", "name", "initContainers", "name", "volumes", "name", "env", "name",
      "volumeMounts", "mountPath", "imagePullSecrets", "name", "ports", "containerPort");
  /** Named items merged field by field rather than replaced: a container of the template's and Shoal's. */
  private static final Set<String> MERGED_LISTS = Set.of("containers", "initContainers");
  /**
   * Taken whole from Shoal, never merged: a resource limit the template kept would undo Shoal's sizing, a
   * capability it added or a seccomp profile it named would undo Shoal's restrictions.
   */
  private static final Set<String> SHOALS_WHOLE = Set.of("resources", "image", "command", "args", "capabilities",
      "seccompProfile");

  private PodTemplates() {}

  /**
   * Reads a pod template from a YAML or JSON file of one pod ({@code kind: Pod}), and refuses one that the
   * "restricted" Pod Security Standard would refuse whatever Shoal sets over it.
   */
  public static Pod load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pod template " + file + ": " + e.getMessage(), e);
    }
    Pod template;
    try {
      template = SERIALIZATION.unmarshal(text, Pod.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the pod template " + file + " is not a pod in YAML or JSON: "
          + e.getMessage(), e);
    }
    if (template == null) {
      throw new IllegalArgumentException("the pod template " + file + " is empty; it must be one pod (kind: Pod)");
    }
    if (template.getKind() != null && !template.getKind().equals("Pod")) {
      throw new IllegalArgumentException("the pod template " + file + " must be one pod (kind: Pod), was kind "
          + template.getKind());
    }
    check(file, template);
    return template;
  }

  private static void check(Path file, Pod template) {
    List<String> unknown = new ArrayList<>();
    template.getAdditionalProperties().keySet().forEach(k -> unknown.add(k));
    PodSpec spec = template.getSpec();
    if (spec != null) {
      spec.getAdditionalProperties().keySet().forEach(k -> unknown.add("spec." + k));
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("the pod template " + file + " has fields a pod does not have: "
          + String.join(", ", unknown));
    }
    if (spec == null) {
      return;
    }
    List<String> refused = new ArrayList<>();
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      refused.add("hostNetwork");
    }
    if (Boolean.TRUE.equals(spec.getHostPID())) {
      refused.add("hostPID");
    }
    if (Boolean.TRUE.equals(spec.getHostIPC())) {
      refused.add("hostIPC");
    }
    for (Volume v : spec.getVolumes()) {
      if (v.getHostPath() != null) {
        refused.add("the hostPath volume " + v.getName());
      }
    }
    if (!refused.isEmpty()) {
      throw new IllegalArgumentException("the pod template " + file + " asks for " + String.join(", ", refused)
          + ", which the \"restricted\" Pod Security Standard forbids and Shoal's pods must pass");
    }
  }

  /** The pod Shoal built, set over the template; the template itself if Shoal's pod is given as is. */
  static Pod merge(Pod template, Pod shoals) {
    if (template.getMetadata() == null && template.getSpec() == null) {
      return shoals;
    }
    Map<String, Object> base = map(template);
    Map<String, Object> own = map(shoals);
    // Of the template's metadata only labels and annotations make sense for a pod that Shoal names and owns.
    Map<String, Object> baseMetadata = new LinkedHashMap<>();
    if (base.get("metadata") instanceof Map<?, ?> m) {
      for (String key : List.of("labels", "annotations")) {
        if (m.get(key) != null) {
          baseMetadata.put(key, m.get(key));
        }
      }
    }
    base.put("metadata", baseMetadata);
    Map<String, Object> merged = mergeMaps(base, own);
    Pod pod = SERIALIZATION.convertValue(merged, Pod.class);
    applySecurityToEveryContainer(pod, shoals);
    return pod;
  }

  /** A template's sidecars and init containers get the runtime container's security context over their own. */
  private static void applySecurityToEveryContainer(Pod pod, Pod shoals) {
    var runtime = shoals.getSpec().getContainers().get(0);
    if (runtime.getSecurityContext() == null) {
      return;
    }
    Map<String, Object> security = map(runtime.getSecurityContext());
    List<io.fabric8.kubernetes.api.model.Container> all = new ArrayList<>(pod.getSpec().getContainers());
    all.addAll(pod.getSpec().getInitContainers());
    for (var c : all) {
      if (c.getName().equals(runtime.getName())) {
        continue;
      }
      Map<String, Object> theirs = c.getSecurityContext() == null ? new LinkedHashMap<>()
          : map(c.getSecurityContext());
      c.setSecurityContext(SERIALIZATION.convertValue(mergeMaps(theirs, security),
          io.fabric8.kubernetes.api.model.SecurityContext.class));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object object) {
    return SERIALIZATION.convertValue(object, LinkedHashMap.class);
  }

  /** {@code own}'s fields over {@code base}'s: maps merged key by key, named lists item by item, the rest replaced. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> mergeMaps(Map<String, Object> base, Map<String, Object> own) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    own.forEach((key, value) -> {
      Object theirs = merged.get(key);
      if (SHOALS_WHOLE.contains(key) || theirs == null) {
        merged.put(key, value);
      } else if (value instanceof Map<?, ?> m && theirs instanceof Map<?, ?> t) {
        merged.put(key, mergeMaps((Map<String, Object>) t, (Map<String, Object>) m));
      } else if (value instanceof List<?> l && theirs instanceof List<?> t && KEYED_LISTS.containsKey(key)) {
        merged.put(key, mergeLists(KEYED_LISTS.get(key), MERGED_LISTS.contains(key), (List<Object>) t,
            (List<Object>) l));
      } else {
        merged.put(key, value);
      }
    });
    return merged;
  }

  /**
   * The template's items, each replaced by Shoal's of the same key, then Shoal's others; or, for containers,
   * Shoal's first (merged over the template's of the same name, which lose what Shoal takes whole even where
   * Shoal leaves it unset), then the template's others.
   */
  @SuppressWarnings("unchecked")
  private static List<Object> mergeLists(String key, boolean mergeItems, List<Object> base, List<Object> own) {
    Map<Object, Map<String, Object>> theirs = new LinkedHashMap<>();
    for (Object item : base) {
      theirs.put(((Map<String, Object>) item).get(key), (Map<String, Object>) item);
    }
    List<Object> merged = new ArrayList<>();
    if (mergeItems) {
      for (Object item : own) {
        Map<String, Object> mine = (Map<String, Object>) item;
        Map<String, Object> template = theirs.remove(mine.get(key));
        if (template == null) {
          merged.add(mine);
        } else {
          Map<String, Object> both = mergeMaps(template, mine);
          SHOALS_WHOLE.stream().filter(k -> !mine.containsKey(k)).forEach(both::remove);
          merged.add(both);
        }
      }
      merged.addAll(theirs.values());
      return merged;
    }
    Map<Object, Object> mine = new LinkedHashMap<>();
    for (Object item : own) {
      mine.put(((Map<String, Object>) item).get(key), item);
    }
    theirs.keySet().removeAll(mine.keySet());
    merged.addAll(theirs.values());
    merged.addAll(mine.values());
    return merged;
  }
}
