package dev.shoal.internal.backend.local;

import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.backend.ContainerExit;
import dev.shoal.internal.controlplane.backend.ContainerExitListener;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.backend.ContainerSpec;
import dev.shoal.internal.client.ServerTrust;
import dev.shoal.internal.runtime.ContainerMain;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs each container as its own JVM on this machine, started with the caller's classpath: real isolation, and
 * a container that must stop (a timeout, a cancellation) is killed like any process. Containers start from a
 * class-data cache of their classpath ({@link ClassDataArchives}), with its directories packed into jars for it
 * ({@link PackedClasspath}).
 *
 * <p>A container's stdout and stderr go to a log file whose last lines explain a container that died before it
 * was ready. Containers exit by themselves when the JVM that started them ends, even by {@code kill -9}: they
 * watch its process and their stream to it.
 */
public final class ProcessBackend implements ContainerBackend {
  private static final int TAIL_BYTES = 4096;
  /**
   * How long a container may take to exit by itself once its stream has ended before it is killed. Its exit code
   * then says how it ended (a JVM whose app called {@code System.exit(1)} closes its stream as it exits), which a
   * kill at once would replace with the kill's.
   */
  static final long DISCONNECTED_GRACE_SECONDS = 5;
  /** How long a container that records a class-data archive may take to exit once its stream has ended. */
  static final long RECORDING_GRACE_SECONDS = 10;
  /** What a JVM started with {@code -XX:+ExitOnOutOfMemoryError} prints as it exits with code 3. */
  private static final String HEAP_EXHAUSTED = "Terminating due to java.lang.OutOfMemoryError";
  private static final int OUT_OF_MEMORY_EXIT = 3;

  private final String target;
  private final int capacity;
  private final Path logDir;
  private static final String FLAGS_SETTING = "SHOAL_CONTAINER_JVM_FLAGS (or -Dshoal.containerJvmFlags)";
  private static final Set<String> CLASSPATH_FLAGS = Set.of("-cp", "-classpath", "--class-path", "-jar");

  private final List<String> jvmFlags;
  private final Optional<ClassDataArchives> archives;
  private final Optional<PackedClasspath> packer;
  private final Map<String, String> trustEnv;
  private final Map<String, Process> live = new ConcurrentHashMap<>();

  /**
   * @param target where containers find the control plane ({@code host:port}), over plaintext
   * @param capacity the most container processes at once
   */
  public ProcessBackend(String target, int capacity) {
    this(target, capacity, ServerTrust.containerEnvironment(Optional.empty(), Optional.empty()));
  }

  /**
   * @param target where containers find the control plane ({@code host:port})
   * @param capacity the most container processes at once
   * @param trustEnv how containers trust the control plane, as {@link ServerTrust#containerEnvironment} gives it
   */
  public ProcessBackend(String target, int capacity, Map<String, String> trustEnv) {
    this.trustEnv = Map.copyOf(trustEnv);
    this.target = target;
    this.capacity = capacity;
    try {
      this.logDir = Files.createTempDirectory("shoal-containers-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for container logs", e);
    }
    this.jvmFlags = containerFlags(System.getProperty("shoal.containerJvmFlags",
        System.getenv("SHOAL_CONTAINER_JVM_FLAGS")));
    Optional<Path> cacheDir = ClassDataArchives.defaultDirectory();
    this.archives = cacheDir.map(ClassDataArchives::new);
    // Class directories are packed into jars only for the caches' sake, so only when there are caches.
    this.packer = cacheDir.map(dir -> new PackedClasspath(dir.resolve("packed")));
  }

  static List<String> defaultFlags() {
    List<String> flags = new ArrayList<>(List.of(
        "-XX:+UseSerialGC",
        "-XX:+ExitOnOutOfMemoryError",
        "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 24) {
      flags.add("--sun-misc-unsafe-memory-access=allow");
    }
    return flags;
  }

  /**
   * The flags of container JVMs: {@link #defaultFlags()}, then those of {@code SHOAL_CONTAINER_JVM_FLAGS} (or
   * {@code -Dshoal.containerJvmFlags}), separated by spaces, such as {@code -Xmx2g} or a debugger's agent. Later
   * flags win in the JVM, so these override the defaults.
   */
  static List<String> containerFlags(String configured) {
    List<String> flags = defaultFlags();
    if (configured == null || configured.isBlank()) {
      return flags;
    }
    for (String flag : configured.strip().split("\\s+")) {
      if (!flag.startsWith("-")) {
        throw new IllegalArgumentException(FLAGS_SETTING + " holds '" + flag + "', which is not a JVM flag: each word"
            + " must start with '-' (for example -Xmx2g)");
      }
      if (CLASSPATH_FLAGS.contains(flag)) {
        throw new IllegalArgumentException(FLAGS_SETTING + " holds '" + flag + "': a container's classpath is its"
            + " app's, which Shoal sets itself");
      }
      flags.add(flag);
    }
    return flags;
  }

  @Override
  public String name() {
    return "processes";
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public ContainerHandle start(ContainerSpec spec, ContainerExitListener onExit) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    List<String> classpath = packer.map(p -> p.pack(spec.classpath())).orElse(spec.classpath());
    ClassDataArchives.Use archive = archives.map(a -> a.use(jvmFlags, classpath, spec.containerId()))
        .orElse(ClassDataArchives.NONE);
    command.addAll(archive.flags());
    command.add("-cp");
    command.add(String.join(java.io.File.pathSeparator, classpath));
    command.add(ContainerMain.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.putAll(spec.function().getEnvMap());
    env.putAll(trustEnv);
    env.put(ContainerMain.ENV_TARGET, target);
    env.put(ContainerMain.ENV_ID, spec.containerId());
    env.put(ContainerMain.ENV_TOKEN, spec.token());
    env.put(ContainerMain.ENV_PARENT_PID, Long.toString(ProcessHandle.current().pid()));
    Path log = logDir.resolve(spec.containerId() + ".log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      archive.onExit().accept(-1);
      throw new UncheckedIOException("cannot start a container JVM with " + command.get(0), e);
    }
    live.put(spec.containerId(), process);
    AtomicBoolean endedHere = new AtomicBoolean();
    process.onExit().thenAccept(p -> {
      live.remove(spec.containerId());
      archive.onExit().accept(p.exitValue());
      String tail = tail(log);
      try {
        Files.deleteIfExists(log);
      } catch (IOException e) {
        // A log left behind in a temporary directory is harmless.
      }
      onExit.exited(spec.containerId(),
          exit(p.exitValue(), endedHere.get(), tail.isBlank() ? "" : "its output ended with:\n" + tail));
    });
    AtomicBoolean exiting = new AtomicBoolean();
    return new ContainerHandle() {
      /**
       * Kills the container at once, unless it records a class-data cache and its stream has ended: it is then
       * writing the recording as it exits, which a busy machine can make outlast an app's stop grace of 3 s, and a
       * kill would lose it for every later container. {@link #disconnected} has bounded its exit already.
       */
      @Override
      public void kill() {
        if (archive.records() && exiting.get()) {
          if (process.isAlive()) {
            endedHere.set(true);
          }
          return;
        }
        destroy();
      }

      /** Kills the container at once; its exit is reported as stopped. */
      private void destroy() {
        if (process.isAlive()) {
          endedHere.set(true);
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }

      /**
       * A container whose stream has ended is exiting by itself: it gets {@link #DISCONNECTED_GRACE_SECONDS} to
       * do so, and its own exit code, before it is killed; one that records a class-data cache writes it as it
       * exits, so it gets {@link #RECORDING_GRACE_SECONDS}.
       */
      @Override
      public void disconnected() {
        exiting.set(true);
        long grace = archive.records() ? RECORDING_GRACE_SECONDS : DISCONNECTED_GRACE_SECONDS;
        process.onExit().orTimeout(grace, TimeUnit.SECONDS).whenComplete((p, timedOut) -> {
          if (timedOut != null) {
            destroy();
          }
        });
      }

      @Override
      public boolean isAlive() {
        return process.isAlive();
      }

      @Override
      public long pid() {
        return process.pid();
      }
    };
  }

  /**
   * How a container process ended: stopped if this backend killed it, out of memory if its JVM said so as it
   * exited, otherwise by its exit status (see {@link ContainerExit#causeOfProcessStatus}).
   */
  static ContainerExit exit(int status, boolean endedHere, String detail) {
    if (endedHere) {
      return ContainerExit.stopped(status, detail);
    }
    if (status == OUT_OF_MEMORY_EXIT && detail.contains(HEAP_EXHAUSTED)) {
      return new ContainerExit(ContainerExit.Cause.OUT_OF_MEMORY, status, "OutOfMemoryError", detail);
    }
    ContainerExit.Cause cause = ContainerExit.causeOfProcessStatus(status);
    return new ContainerExit(cause, status, cause == ContainerExit.Cause.KILLED ? signalName(status) : "", detail);
  }

  /** The reason of a process that a signal ended, such as {@code killed by SIGKILL}. */
  private static String signalName(int status) {
    return switch (status - 128) {
      case 9 -> "killed by SIGKILL";
      case 15 -> "killed by SIGTERM";
      case 2 -> "killed by SIGINT";
      default -> "killed by signal " + (status - 128);
    };
  }

  private static String tail(Path log) {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      long from = Math.max(0, length - TAIL_BYTES);
      byte[] bytes = new byte[(int) (length - from)];
      file.seek(from);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** The pids of the container processes alive now; for tests. */
  public List<Long> livePids() {
    return live.values().stream().filter(Process::isAlive).map(Process::pid).toList();
  }

  @Override
  public void close() {
    for (Process p : live.values()) {
      p.destroyForcibly();
    }
    for (Process p : live.values()) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    try (var files = Files.list(logDir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(logDir);
    } catch (IOException e) {
      // Left in the temporary directory.
    }
  }
}
