package dev.shoal.internal.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The rules of the "restricted" Pod Security Standard (which include the "baseline" ones), as the API server's
 * PodSecurity admission applies them at {@code enforce: restricted}, written out from
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/ so that a test can check a rendered pod
 * spec without a cluster. Shoal adds one rule of its own, a read-only root file system, checked apart.
 */
final class RestrictedPodSecurity {
  /** The volume types the restricted profile allows. */
  private static final Set<String> VOLUME_TYPES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
      "persistentVolumeClaim", "projected", "secret");
  /** The sysctls the baseline profile allows. */
  private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
      "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
      "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");

  private RestrictedPodSecurity() {}

  /** Every rule the pod breaks, each naming the container or field; empty when it passes. */
  static List<String> violations(PodSpec spec) {
    List<String> broken = new ArrayList<>();
    PodSecurityContext pod = spec.getSecurityContext();
    // Baseline: host namespaces, host paths, host ports, privileged, sysctls, AppArmor, SELinux, /proc.
    if (Boolean.TRUE.equals(spec.getHostNetwork()) || Boolean.TRUE.equals(spec.getHostPID())
        || Boolean.TRUE.equals(spec.getHostIPC())) {
      broken.add("host namespaces: hostNetwork, hostPID and hostIPC must be unset or false");
    }
    for (Volume v : spec.getVolumes()) {
      String type = volumeType(v);
      if (!VOLUME_TYPES.contains(type)) {
        broken.add("volume " + v.getName() + " is of type " + type + ", which is not allowed");
      }
    }
    if (pod != null) {
      pod.getSysctls().stream().filter(s -> !SAFE_SYSCTLS.contains(s.getName()))
          .forEach(s -> broken.add("sysctl " + s.getName() + " is not a safe sysctl"));
      if (pod.getSeLinuxOptions() != null) {
        checkSeLinux("the pod", pod.getSeLinuxOptions(), broken);
      }
      if (pod.getRunAsUser() != null && pod.getRunAsUser() == 0) {
        broken.add("the pod's runAsUser must not be 0");
      }
      if (Boolean.FALSE.equals(pod.getRunAsNonRoot())) {
        broken.add("the pod's runAsNonRoot must not be false");
      }
      if (!seccompAllowed(pod.getSeccompProfile())) {
        broken.add("the pod's seccompProfile.type must be RuntimeDefault or Localhost");
      }
    }
    boolean podNonRoot = pod != null && Boolean.TRUE.equals(pod.getRunAsNonRoot());
    boolean podSeccomp = pod != null && pod.getSeccompProfile() != null;
    for (Container c : Stream.of(spec.getContainers(), spec.getInitContainers()).flatMap(List::stream).toList()) {
      String name = "container " + c.getName();
      SecurityContext sc = c.getSecurityContext();
      c.getPorts().stream().filter(p -> p.getHostPort() != null && p.getHostPort() != 0)
          .forEach(p -> broken.add(name + " uses the host port " + p.getHostPort()));
      if (sc == null) {
        broken.add(name + " has no securityContext: allowPrivilegeEscalation must be false and"
            + " capabilities.drop must include ALL");
        continue;
      }
      if (Boolean.TRUE.equals(sc.getPrivileged())) {
        broken.add(name + " is privileged");
      }
      if (sc.getProcMount() != null && !sc.getProcMount().equals("Default")) {
        broken.add(name + " has procMount " + sc.getProcMount());
      }
      if (sc.getSeLinuxOptions() != null) {
        checkSeLinux(name, sc.getSeLinuxOptions(), broken);
      }
      if (sc.getAppArmorProfile() != null && !Set.of("RuntimeDefault", "Localhost")
          .contains(sc.getAppArmorProfile().getType())) {
        broken.add(name + "'s AppArmor profile must be RuntimeDefault or Localhost");
      }
      // Restricted.
      if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        broken.add(name + ": allowPrivilegeEscalation must be false");
      }
      if (Boolean.FALSE.equals(sc.getRunAsNonRoot()) || sc.getRunAsNonRoot() == null && !podNonRoot) {
        broken.add(name + ": runAsNonRoot must be true, on the pod or the container");
      }
      if (sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
        broken.add(name + ": runAsUser must not be 0");
      }
      if (sc.getSeccompProfile() != null ? !seccompAllowed(sc.getSeccompProfile()) : !podSeccomp) {
        broken.add(name + ": seccompProfile.type must be RuntimeDefault or Localhost, on the pod or the container");
      }
      Capabilities caps = sc.getCapabilities();
      if (caps == null || !caps.getDrop().contains("ALL")) {
        broken.add(name + ": capabilities.drop must include ALL");
      }
      if (caps != null && caps.getAdd().stream().anyMatch(a -> !a.equals("NET_BIND_SERVICE"))) {
        broken.add(name + ": capabilities.add may hold only NET_BIND_SERVICE, was " + caps.getAdd());
      }
    }
    return broken;
  }

  /** Shoal's own rule beside the standard's: containers whose root file system is read-only. */
  static List<String> writableRootFileSystems(PodSpec spec) {
    return Stream.of(spec.getContainers(), spec.getInitContainers()).flatMap(List::stream)
        .filter(c -> c.getSecurityContext() == null
            || !Boolean.TRUE.equals(c.getSecurityContext().getReadOnlyRootFilesystem()))
        .map(c -> "container " + c.getName() + " has a writable root file system")
        .toList();
  }

  private static boolean seccompAllowed(SeccompProfile profile) {
    return profile != null && Set.of("RuntimeDefault", "Localhost").contains(profile.getType());
  }

  private static void checkSeLinux(String who, io.fabric8.kubernetes.api.model.SELinuxOptions options,
      List<String> broken) {
    if (options.getType() != null
        && !Set.of("container_t", "container_init_t", "container_kvm_t").contains(options.getType())) {
      broken.add(who + "'s SELinux type " + options.getType() + " is not allowed");
    }
    if (options.getUser() != null || options.getRole() != null) {
      broken.add(who + " sets an SELinux user or role");
    }
  }

  private static String volumeType(Volume v) {
    if (v.getConfigMap() != null) {
      return "configMap";
    }
    if (v.getCsi() != null) {
      return "csi";
    }
    if (v.getDownwardAPI() != null) {
      return "downwardAPI";
    }
    if (v.getEmptyDir() != null) {
      return "emptyDir";
    }
    if (v.getEphemeral() != null) {
      return "ephemeral";
    }
    if (v.getPersistentVolumeClaim() != null) {
      return "persistentVolumeClaim";
    }
    if (v.getProjected() != null) {
      return "projected";
    }
    if (v.getSecret() != null) {
      return "secret";
    }
    return v.getHostPath() != null ? "hostPath" : "another type";
  }
}
