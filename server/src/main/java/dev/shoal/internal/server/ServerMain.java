package dev.shoal.internal.server;

import dev.shoal.internal.backend.kubernetes.KubernetesOptions;
import java.nio.file.Path;

/**
 * Starts a server from plain arguments: {@code --port N --data-dir DIR [--token T] [--database-url URL]
 * [--http-port N]}, and for containers as pods {@code --backend kubernetes --kube-image IMAGE
 * [--kube-namespace NS] [--kubeconfig FILE] [--kube-advertise HOST:PORT] [--kube-gpu-label LABEL]
 * [--kube-cpu-limit none|request] [--kube-launcher-memory MIB] [--kube-pod-template FILE]}. The
 * {@code shoal server} command is the way people start one; this is what tests and scripts use.
 */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    ServerOptions options = ServerOptions.defaults(Path.of(System.getProperty("user.home"), ".shoal", "server"));
    String backend = "local";
    String image = null;
    String namespace = null;
    String kubeconfig = null;
    String advertise = null;
    String gpuLabel = null;
    String cpuLimit = null;
    String launcherMemory = null;
    String podTemplate = null;
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("option " + args[args.length - 1] + " needs a value");
    }
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--backend" -> backend = value;
        case "--kube-image" -> image = value;
        case "--kube-namespace" -> namespace = value;
        case "--kubeconfig" -> kubeconfig = value;
        case "--kube-advertise" -> advertise = value;
        case "--kube-gpu-label" -> gpuLabel = value;
        case "--kube-cpu-limit" -> cpuLimit = value;
        case "--kube-launcher-memory" -> launcherMemory = value;
        case "--kube-pod-template" -> podTemplate = value;
        default -> { }
      }
    }
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--backend") || args[i].startsWith("--kube")) {
        continue;
      }
      String value = args[i + 1];
      options = switch (args[i]) {
        case "--port" -> options.withPort(Integer.parseInt(value));
        case "--host" -> options.withHost(value);
        case "--data-dir" -> options.withDataDir(Path.of(value));
        case "--volume-store" -> options.withVolumeStore(value, options.s3Endpoint());
        case "--s3-endpoint" -> options.withVolumeStore(options.volumeStore().orElseThrow(
            () -> new IllegalArgumentException("--s3-endpoint needs --volume-store s3://... before it")),
            java.util.Optional.of(value));
        case "--token" -> options.withToken(value);
        case "--database-url" -> options.withDatabaseUrl(value);
        case "--max-containers" -> options.withMaxContainers(Integer.parseInt(value));
        case "--http-port" -> options.withHttpPort(Integer.parseInt(value));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      };
    }
    options = withBackend(options, backend, image, namespace, kubeconfig, advertise, gpuLabel, cpuLimit,
        launcherMemory, podTemplate);
    ShoalServer server = ShoalServer.start(options);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shoal-server-shutdown"));
    System.out.println("Shoal server listening on " + server.address());
    server.dashboardUrl().ifPresent(url -> System.out.println("Shoal dashboard on " + url));
    System.out.flush();
    server.awaitTermination();
  }

  /** Applies {@code --backend} and the {@code --kube-*} options, which only the kubernetes backend takes. */
  public static ServerOptions withBackend(ServerOptions options, String backend, String image, String namespace,
      String kubeconfig, String advertise, String gpuLabel, String cpuLimit, String launcherMemory,
      String podTemplate) {
    switch (backend) {
      case "local" -> {
        if (image != null || namespace != null || kubeconfig != null || advertise != null || gpuLabel != null
            || cpuLimit != null || launcherMemory != null || podTemplate != null) {
          throw new IllegalArgumentException("--kube-image, --kube-namespace, --kubeconfig, --kube-advertise,"
              + " --kube-gpu-label, --kube-cpu-limit, --kube-launcher-memory and --kube-pod-template apply to"
              + " --backend kubernetes only");
        }
        return options;
      }
      case "kubernetes" -> {
        KubernetesSettings k8s = KubernetesSettings.of(image);
        if (namespace != null) {
          k8s = k8s.withNamespace(namespace);
        }
        if (kubeconfig != null) {
          k8s = k8s.withKubeconfig(Path.of(kubeconfig));
        }
        if (advertise != null) {
          k8s = k8s.withAdvertisedAddress(advertise);
        }
        if (gpuLabel != null) {
          k8s = k8s.withGpuLabel(gpuLabel);
        }
        if (cpuLimit != null) {
          k8s = k8s.withCpuLimit(KubernetesOptions.CpuLimit.parse(cpuLimit));
        }
        if (launcherMemory != null) {
          k8s = k8s.withLauncherMemoryMb(launcherMemoryMb(launcherMemory));
        }
        if (podTemplate != null) {
          k8s = k8s.withPodTemplate(Path.of(podTemplate));
        }
        return options.withKubernetes(k8s);
      }
      default -> throw new IllegalArgumentException("--backend must be local or kubernetes, was '" + backend + "'");
    }
  }

  private static int launcherMemoryMb(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--kube-launcher-memory must be a number of MiB such as 128, was '" + value
          + "'");
    }
  }
}
