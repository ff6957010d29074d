package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction2;
import dev.shoal.Shoal;
import dev.shoal.ShoalException;
import dev.shoal.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/** Functions that write, read and watch one volume from separate containers. */
public final class VolumeApp {
  public static final App app = App.named("volume-app");
  public static final Volume vol = Volume.fromName("it-volume", true);
  public static final String ABSENT = "<absent>";
  private static final FunctionOptions ONE = FunctionOptions.builder().volume(vol).maxContainers(1).build();
  private static final int GENERATION_FILES = 8;

  /** Writes {@code text} to {@code path} and commits. */
  public static final RemoteFunction2<String, String, String> write = app.function("write", (path, text) -> {
    Path file = vol.path().resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    vol.commit();
    return text;
  }, ONE);

  /** Reads {@code path} as this container sees it, after a reload if asked; returns "CONTAINER-ID:CONTENT". */
  public static final RemoteFunction2<String, Boolean, String> read = app.function("read", (path, reload) -> {
    if (reload) {
      vol.reload();
    }
    return Shoal.context().containerId() + ":" + readOrAbsent(vol.path().resolve(path));
  }, ONE);

  /** Reads {@code path} in a container of its own, as of that container's start. */
  public static final RemoteFunction2<String, Boolean, String> readElsewhere = app.function("readElsewhere",
      (path, ignored) -> readOrAbsent(vol.path().resolve(path)), ONE);

  /** Commits {@code generations} versions of the same files, each file of a version holding its number. */
  public static final RemoteFunction2<String, Integer, Integer> writeGenerations = app.function("writeGenerations",
      (dir, generations) -> {
        Path root = vol.path().resolve(dir);
        Files.createDirectories(root);
        for (int g = 1; g <= generations; g++) {
          for (int f = 0; f < GENERATION_FILES; f++) {
            // Files of different sizes, so that a torn version could not pass for a whole one by accident.
            Files.writeString(root.resolve("f" + f), "generation " + g + " " + "x".repeat(f * 100));
          }
          vol.commit();
        }
        return generations;
      }, ONE);

  /**
   * Reloads until it sees generation {@code last} in {@code dir}, checking that every file of each version it sees
   * is of the same generation; returns "torn=N seen=G1,G2,…".
   */
  public static final RemoteFunction2<String, Integer, String> watchGenerations = app.function("watchGenerations",
      (dir, last) -> {
        Path root = vol.path().resolve(dir);
        int torn = 0;
        Set<Integer> seen = new TreeSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!seen.contains(last) && System.nanoTime() < deadline) {
          vol.reload();
          Set<String> generations = new TreeSet<>();
          for (int f = 0; f < GENERATION_FILES; f++) {
            String text = readOrAbsent(root.resolve("f" + f));
            generations.add(text.equals(ABSENT) ? ABSENT : text.split(" ")[1]);
          }
          if (generations.size() != 1) {
            torn++;
          } else if (!generations.contains(ABSENT)) {
            seen.add(Integer.parseInt(generations.iterator().next()));
          }
        }
        return "torn=" + torn + " seen=" + seen;
      }, ONE);

  /** Writes {@code dir/i.json} and commits; many at once in several containers. */
  public static final RemoteFunction2<String, Integer, Integer> writeOne = app.function("writeOne", (dir, i) -> {
    Path file = vol.path().resolve(dir).resolve(i + ".json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"i\": " + i + "}");
    vol.commit();
    return i;
  }, FunctionOptions.builder().volume(vol).maxContainers(3).concurrency(4).build());

  /** Writes {@code dir/i.txt} without committing: the container's stop commits it. */
  public static final RemoteFunction2<String, Integer, Integer> writeUncommitted = app.function("writeUncommitted",
      (dir, i) -> {
        Path file = vol.path().resolve(dir).resolve(i + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, Integer.toString(i));
        return i;
      }, FunctionOptions.builder().volume(vol).maxContainers(2).concurrency(4).build());

  /** Puts a symbolic link to {@code target} in the volume and tries to commit it; returns the refusal. */
  public static final RemoteFunction2<String, String, String> linkOut = app.function("linkOut", (dir, target) -> {
    Path link = vol.path().resolve(dir).resolve("link");
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, Path.of(target));
    try {
      vol.commit();
      return "committed";
    } catch (ShoalException e) {
      return e.getMessage();
    } finally {
      Files.delete(link);
    }
  }, ONE);

  private VolumeApp() {}

  private static String readOrAbsent(Path file) throws java.io.IOException {
    return Files.isRegularFile(file) ? Files.readString(file) : ABSENT;
  }
}
