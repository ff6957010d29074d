package dev.shoal;

import dev.shoal.internal.client.volume.MountedVolume;
import dev.shoal.internal.client.volume.MountedVolumes;
import dev.shoal.internal.client.volume.VolumeClient;
import dev.shoal.internal.client.volume.VolumePaths;
import java.nio.file.Path;
import java.util.List;

/**
 * A named, durable file tree that functions mount and clients read and write — Modal's {@code Volume}.
 *
 * <pre>{@code
 * static final Volume results = Volume.fromName("results", true);
 * static final RemoteFunction<Integer, Integer> work = app.function("work", n -> {
 *   Files.writeString(results.path().resolve("out/" + n + ".json"), "{\"n\": " + n + "}");
 *   results.commit();                                    // visible to everyone from now on
 *   return n;
 * }, FunctionOptions.builder().volume(results).build());
 * }</pre>
 *
 * <p>Semantics:
 * <ul>
 *   <li>A container sees the volume as it was when the container started, in the local directory {@link #path()}.
 *   <li>{@link #commit()} publishes the container's changes (files written, changed or deleted since its last
 *       sync) as one new version: no one ever sees part of a commit. A container's changes are also committed
 *       when it stops normally; a container that is killed loses what it had not committed.
 *   <li>{@link #reload()} brings in what others committed since, keeping the container's uncommitted changes.
 *   <li>Commits apply changes to the latest version, so containers writing distinct files never lose each other's
 *       files. Two commits that write the same file: the last one committed wins, with no merging and no error.
 *   <li>A commit takes each file as it is at that moment. In a container that runs several inputs at once, one
 *       input's commit may take a file another is still writing; write such files under a temporary name and
 *       move them into place when complete.
 *   <li>From any process, {@link #read}, {@link #write}, {@link #list} and {@link #remove} act on the latest
 *       version at once; {@code write} and {@code remove} are commits of their own.
 *   <li>Paths are relative and {@code '/'}-separated; {@code ".."}, absolute paths and symbolic links that point
 *       outside the volume are refused. A file holds at most 64 MiB.
 * </ul>
 *
 * <p>{@code fromName} does no I/O, so it belongs in a static field; the volume is found (or created) when an app
 * that mounts it starts, or at the first client operation.
 */
public final class Volume {
  private final String name;
  private final boolean createIfMissing;
  private final VolumeClient client;

  private Volume(String name, boolean createIfMissing) {
    this.name = name;
    this.createIfMissing = createIfMissing;
    this.client = new VolumeClient(name, createIfMissing);
  }

  /**
   * The volume named {@code name}.
   *
   * @param name 1..63 letters, digits, '.', '_' or '-', starting with a letter or digit
   * @param createIfMissing create the volume when it is first used if it does not exist; otherwise using a missing
   *     volume throws {@link NotFoundException}
   */
  public static Volume fromName(String name, boolean createIfMissing) {
    String problem = VolumePaths.nameProblem(name);
    if (problem != null) {
      throw new InvalidOptionException(problem);
    }
    return new Volume(name, createIfMissing);
  }

  public String name() {
    return name;
  }

  /**
   * Inside a container whose function mounts this volume, the local directory that holds it.
   *
   * @throws IllegalStateException anywhere else
   */
  public Path path() {
    return mount().path();
  }

  /**
   * Publishes this container's changes to the volume as one version that others see whole.
   *
   * @throws IllegalStateException outside a container that mounts this volume
   * @throws InvalidOptionException if the mount holds a symbolic link that points outside the volume
   */
  public void commit() {
    client.commit(mount());
  }

  /**
   * Brings in what others committed since this container's last sync; files this container changed and has not
   * committed are kept.
   *
   * @throws IllegalStateException outside a container that mounts this volume
   */
  public void reload() {
    client.reload(mount());
  }

  /** The content of the file at {@code path} in the latest version. */
  public byte[] read(String path) {
    checkPath(path);
    return client.read(path);
  }

  /** Writes the file at {@code path}, creating its directories, and commits it at once. */
  public void write(String path, byte[] data) {
    checkPath(path);
    Checks.notNull("data", data);
    client.write(path, data);
  }

  /**
   * What is directly inside {@code dir} ({@code ""} or {@code "/"} for the root), sorted by path; a file's own
   * path lists that file.
   *
   * @throws NotFoundException if there is no such file or directory
   */
  public List<VolumeEntry> list(String dir) {
    Checks.notNull("dir", dir);
    if (!dir.isEmpty() && !dir.equals("/")) {
      checkPath(dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir);
    }
    return client.list(dir);
  }

  /**
   * Removes the file at {@code path}, or the directory at {@code path} with everything under it, as one commit.
   *
   * @throws NotFoundException if there is no such file or directory
   */
  public void remove(String path) {
    checkPath(path);
    client.remove(path);
  }

  /** Whether using the volume creates it when it does not exist; read by function definitions. */
  boolean createIfMissing() {
    return createIfMissing;
  }

  private MountedVolume mount() {
    return MountedVolumes.find(name).orElseThrow(() -> new IllegalStateException("volume '" + name
        + "' is not mounted here: path(), commit() and reload() work inside a container whose function mounts it"
        + " (FunctionOptions.builder().volume(vol)); from a client, use read, write, list and remove"));
  }

  private void checkPath(String path) {
    String problem = VolumePaths.pathProblem(name, path);
    if (problem != null) {
      throw new InvalidOptionException(problem);
    }
  }

  @Override
  public String toString() {
    return "Volume[" + name + "]";
  }
}
