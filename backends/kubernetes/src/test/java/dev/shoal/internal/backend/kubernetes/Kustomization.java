package dev.shoal.internal.backend.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code kubectl kustomize} makes of deploy/kubernetes, for tests on a machine without kubectl: the listed
 * resources, the generated ConfigMaps (named with a hash of their content, and the references to them renamed),
 * the common labels and the {@code images:} entries, in the containers and in the ConfigMap fields that the
 * {@code configurations:} files name. Only the parts of kustomize that the manifests use; anything else in the
 * kustomization fails the rendering rather than being ignored.
 */
final class Kustomization {
  private static final List<String> KNOWN = List.of("apiVersion", "kind", "namespace", "labels", "resources",
      "configMapGenerator", "configurations", "images");

  private Kustomization() {}

  /** Renders the kustomization in {@code dir}. */
  @SuppressWarnings("unchecked")
  static List<HasMetadata> render(KubernetesClient client, Path dir) throws IOException {
    Map<String, Object> k = client.getKubernetesSerialization()
        .unmarshal(Files.readString(dir.resolve("kustomization.yaml")), Map.class);
    for (String key : k.keySet()) {
      if (!KNOWN.contains(key)) {
        throw new IllegalStateException("this test's kustomize does not know '" + key + "'");
      }
    }
    List<HasMetadata> objects = new ArrayList<>();
    for (Object file : (List<Object>) k.get("resources")) {
      try (InputStream in = Files.newInputStream(dir.resolve((String) file))) {
        objects.addAll(client.load(in).items());
      }
    }
    Map<String, String> renamed = new LinkedHashMap<>();
    for (Map<String, Object> generator : (List<Map<String, Object>>) k.getOrDefault("configMapGenerator",
        List.of())) {
      ConfigMap map = generate(dir, generator);
      renamed.put((String) generator.get("name"), map.getMetadata().getName());
      objects.add(map);
    }
    String namespace = (String) k.get("namespace");
    for (HasMetadata o : objects) {
      if (namespace != null && !o.getKind().equals("Namespace")) {
        o.getMetadata().setNamespace(namespace);
      }
      for (Map<String, Object> entry : (List<Map<String, Object>>) k.getOrDefault("labels", List.of())) {
        ((Map<String, String>) entry.get("pairs")).forEach((key, value) -> {
          Map<String, String> labels = o.getMetadata().getLabels() == null ? new LinkedHashMap<>()
              : new LinkedHashMap<>(o.getMetadata().getLabels());
          labels.put(key, value);
          o.getMetadata().setLabels(labels);
        });
      }
      if (o instanceof Deployment d) {
        renameReferences(d.getSpec().getTemplate().getSpec(), renamed);
      }
    }
    List<Map<String, String>> images = (List<Map<String, String>>) k.getOrDefault("images", List.of());
    List<String> configMapFields = new ArrayList<>();
    for (Object file : (List<Object>) k.getOrDefault("configurations", List.of())) {
      Map<String, Object> config = client.getKubernetesSerialization()
          .unmarshal(Files.readString(dir.resolve((String) file)), Map.class);
      for (Map<String, String> spec : (List<Map<String, String>>) config.get("images")) {
        if (!spec.get("kind").equals("ConfigMap") || !spec.get("path").startsWith("data/")) {
          throw new IllegalStateException("this test's kustomize knows image fields of ConfigMap data only");
        }
        configMapFields.add(spec.get("path").substring("data/".length()));
      }
    }
    for (HasMetadata o : objects) {
      if (o instanceof Deployment d) {
        for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
          c.setImage(image(c.getImage(), images));
        }
      } else if (o instanceof ConfigMap m) {
        for (String field : configMapFields) {
          if (m.getData().containsKey(field)) {
            m.getData().put(field, image(m.getData().get(field), images));
          }
        }
      }
    }
    return objects;
  }

  /** A ConfigMap from env files of {@code KEY=VALUE} lines, named with a hash of its content as kustomize does. */
  @SuppressWarnings("unchecked")
  private static ConfigMap generate(Path dir, Map<String, Object> generator) throws IOException {
    Map<String, String> data = new LinkedHashMap<>();
    for (Object file : (List<Object>) generator.getOrDefault("envs", List.of())) {
      for (String line : Files.readAllLines(dir.resolve((String) file))) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        int eq = l.indexOf('=');
        data.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    for (Object literal : (List<Object>) generator.getOrDefault("literals", List.of())) {
      String l = (String) literal;
      data.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
    }
    return new ConfigMapBuilder().withNewMetadata().withName(generator.get("name") + "-" + hash(data))
        .endMetadata().withData(data).build();
  }

  private static String hash(Map<String, String> data) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(data.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void renameReferences(PodSpec pod, Map<String, String> renamed) {
    for (Container c : pod.getContainers()) {
      c.getEnvFrom().stream().filter(e -> e.getConfigMapRef() != null)
          .forEach(e -> e.getConfigMapRef().setName(renamed.getOrDefault(e.getConfigMapRef().getName(),
              e.getConfigMapRef().getName())));
      c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null)
          .forEach(e -> e.getValueFrom().getConfigMapKeyRef().setName(renamed.getOrDefault(
              e.getValueFrom().getConfigMapKeyRef().getName(), e.getValueFrom().getConfigMapKeyRef().getName())));
    }
    pod.getVolumes().stream().filter(v -> v.getConfigMap() != null)
        .forEach(v -> v.getConfigMap().setName(renamed.getOrDefault(v.getConfigMap().getName(),
            v.getConfigMap().getName())));
  }

  /** An image with the {@code images:} entry of its name applied: {@code newName} and a digest or a tag. */
  private static String image(String image, List<Map<String, String>> images) {
    for (Map<String, String> entry : images) {
      if (entry.get("name").equals(image)) {
        String name = entry.getOrDefault("newName", image);
        return entry.containsKey("digest") ? name + "@" + entry.get("digest")
            : entry.containsKey("newTag") ? name + ":" + entry.get("newTag") : name;
      }
    }
    return image;
  }
}
