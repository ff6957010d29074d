package dev.shoal.internal.cli;

import static dev.shoal.internal.cli.EngineCalls.rpc;

import com.google.protobuf.ByteString;
import dev.shoal.internal.client.Engines;
import dev.shoal.internal.client.FileTrees;
import dev.shoal.internal.client.volume.VolumePaths;
import dev.shoal.protocol.v1.CommitVolumeRequest;
import dev.shoal.protocol.v1.DeleteVolumeRequest;
import dev.shoal.protocol.v1.EnsureVolumeRequest;
import dev.shoal.protocol.v1.GetBlobRequest;
import dev.shoal.protocol.v1.GetManifestRequest;
import dev.shoal.protocol.v1.ListVolumeDirRequest;
import dev.shoal.protocol.v1.ListVolumesRequest;
import dev.shoal.protocol.v1.MissingBlobsRequest;
import dev.shoal.protocol.v1.PutBlobRequest;
import dev.shoal.protocol.v1.ReadVolumeFileRequest;
import dev.shoal.protocol.v1.VolumeDirEntry;
import dev.shoal.protocol.v1.VolumeFile;
import dev.shoal.protocol.v1.VolumeManifest;
import dev.shoal.protocol.v1.VolumeServiceGrpc;
import dev.shoal.protocol.v1.VolumeSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal volume create|list|ls|put|get|rm|delete}: the volumes of the configured server, or with no server
 * those of the embedded engine on this machine (in {@code ~/.shoal/volumes}).
 */
@Command(name = "volume", addMethodSubcommands = false, // ShoalCli adds them, the needed ones only
    description = {
    "Create, list, read, write and delete volumes: named file trees that functions mount.",
    "With no server configured, the embedded engine's volumes on this machine",
    "(~/.shoal/volumes)."})
final class VolumeCommand {
  private static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
  private static final long DEADLINE_SECONDS = 300;

  @Command(name = "create", description = "Create a volume; exits with 1 if it already exists.")
  int create(@Parameters(paramLabel = "NAME", description = "1..63 letters, digits, '.', '_' or '-'") String name,
      @Option(names = "--json", description = "print JSON: {volume, created}") boolean json) {
    checkName(name);
    boolean created = rpc(() -> stub().ensureVolume(
        EnsureVolumeRequest.newBuilder().setName(name).setCreateIfMissing(true).build()).getCreated());
    if (!created) {
      throw CliException.failed("volume '" + name + "' already exists");
    }
    Confirmation.print(json, "Created volume " + name, "volume", name, "created", true);
    return ExitCodes.OK;
  }

  @Command(name = "list", description = "List the volumes, with their size and latest version. Times are local.")
  int list(@Option(names = "--json", description = "print JSON") boolean json) {
    List<VolumeSummary> volumes = rpc(() -> stub().listVolumes(ListVolumesRequest.getDefaultInstance())
        .getVolumesList());
    if (json) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (VolumeSummary v : volumes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.getName());
        m.put("files", v.getFiles());
        m.put("bytes", v.getBytes());
        m.put("version", v.getVersion());
        m.put("createdAt", Instant.ofEpochMilli(v.getCreatedAtMs()).toString());
        out.add(m);
      }
      System.out.println(Json.write(out));
      return ExitCodes.OK;
    }
    if (volumes.isEmpty()) {
      System.out.println("No volumes.");
      return ExitCodes.OK;
    }
    Table table = new Table("NAME", "FILES", "SIZE", "VERSION", "CREATED");
    for (VolumeSummary v : volumes) {
      table.row(v.getName(), v.getFiles(), size(v.getBytes()), v.getVersion(),
          LOCAL_TIME.format(Instant.ofEpochMilli(v.getCreatedAtMs())));
    }
    table.print(System.out);
    return ExitCodes.OK;
  }

  @Command(name = "ls", description = "List what is directly inside a directory of a volume (its root by default).")
  int ls(
      @Parameters(index = "0", paramLabel = "NAME", description = "the volume") String name,
      @Parameters(index = "1", paramLabel = "PATH", defaultValue = "", description = "a directory or file in it")
      String path,
      @Option(names = "--json", description = "print JSON: [{path, type, size, modifiedAt}]") boolean json) {
    checkName(name);
    List<VolumeDirEntry> entries = rpc(() -> stub().listVolumeDir(
        ListVolumeDirRequest.newBuilder().setVolume(name).setDir(path).build()).getEntriesList());
    if (json) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (VolumeDirEntry e : entries) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", e.getPath());
        m.put("type", e.getDirectory() ? "directory" : "file");
        m.put("size", e.getSize());
        m.put("modifiedAt", Instant.ofEpochMilli(e.getModifiedMs()).toString());
        out.add(m);
      }
      System.out.println(Json.write(out));
      return ExitCodes.OK;
    }
    Table table = new Table("PATH", "TYPE", "SIZE", "MODIFIED");
    for (VolumeDirEntry e : entries) {
      table.row(e.getPath() + (e.getDirectory() ? "/" : ""), e.getDirectory() ? "dir" : "file", size(e.getSize()),
          LOCAL_TIME.format(Instant.ofEpochMilli(e.getModifiedMs())));
    }
    table.print(System.out);
    return ExitCodes.OK;
  }

  @Command(name = "put", description = {
      "Upload a local file or directory to a volume, all in one commit.",
      "REMOTE is the file's path in the volume (by default its name at the root); one ending in '/' is a",
      "directory to put it in. A directory's files keep their paths under REMOTE.",
      "A symbolic link in a directory is put only when it leads to a file inside it; any other is skipped",
      "and named on stderr."})
  int put(
      @Parameters(index = "0", paramLabel = "NAME", description = "the volume") String name,
      @Parameters(index = "1", paramLabel = "LOCAL", description = "a local file or directory") Path local,
      @Parameters(index = "2", paramLabel = "REMOTE", arity = "0..1", description = "where in the volume")
      String remote,
      @Option(names = "--json", description = "print JSON: {volume, files, bytes, version}") boolean json) {
    checkName(name);
    if (!Files.exists(local)) {
      throw CliException.notFound("no local file or directory " + local);
    }
    Map<String, FileTrees.TreeFile> files = new LinkedHashMap<>();
    String base = remote == null || remote.equals("/") ? "" : remote;
    try {
      if (Files.isDirectory(local)) {
        String prefix = base.isEmpty() || base.endsWith("/") ? base : base + "/";
        // Never a file from outside LOCAL: a link in it to /etc/passwd or ~/.ssh is skipped, and said so.
        List<FileTrees.TreeFile> tree = FileTrees.regularFiles(local, line -> System.err.println("shoal: " + line));
        for (FileTrees.TreeFile file : tree) {
          files.put(prefix + file.path(), file);
        }
      } else {
        // A file named on the command line is read as named, even through a link: the user chose it.
        String fileName = local.getFileName().toString();
        files.put(base.isEmpty() || base.endsWith("/") ? base + fileName : base,
            new FileTrees.TreeFile(fileName, local.toRealPath()));
      }
      files.keySet().forEach(p -> checkPath(name, p));
      VolumeServiceGrpc.VolumeServiceBlockingStub stub = stub();
      List<VolumeFile> puts = new ArrayList<>();
      long bytes = 0;
      for (Map.Entry<String, FileTrees.TreeFile> f : files.entrySet()) {
        byte[] data = f.getValue().readAllBytes();
        String hash = sha256(data);
        rpc(() -> {
          if (!stub.missingBlobs(MissingBlobsRequest.newBuilder().setVolume(name).addHashes(hash).build())
              .getHashesList().isEmpty()) {
            stub.putBlob(PutBlobRequest.newBuilder().setVolume(name).setHash(hash)
                .setData(ByteString.copyFrom(data)).build());
          }
          return null;
        });
        puts.add(VolumeFile.newBuilder().setPath(f.getKey()).setHash(hash).setSize(data.length)
            .setModifiedMs(Files.getLastModifiedTime(f.getValue().source()).toMillis()).build());
        bytes += data.length;
      }
      long version = rpc(() -> stub.commitVolume(
          CommitVolumeRequest.newBuilder().setVolume(name).addAllPuts(puts).build()).getVersion());
      Confirmation.print(json, "Put " + puts.size() + (puts.size() == 1 ? " file" : " files") + " (" + size(bytes)
          + ") in volume " + name + ", version " + version,
          "volume", name, "files", puts.size(), "bytes", bytes, "version", version);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + local, e);
    }
    return ExitCodes.OK;
  }

  @Command(name = "get", description = {
      "Download a file or directory of a volume.",
      "LOCAL is where to write it (by default its name in the current directory); '-' writes a file to stdout."})
  int get(
      @Parameters(index = "0", paramLabel = "NAME", description = "the volume") String name,
      @Parameters(index = "1", paramLabel = "REMOTE", description = "a file or directory in the volume") String remote,
      @Parameters(index = "2", paramLabel = "LOCAL", arity = "0..1", description = "where to write it") String local,
      @Option(names = "--json", description = "print JSON on stdout: {volume, path, files, bytes, target}")
      boolean json) {
    checkName(name);
    if (json && "-".equals(local)) {
      throw new CliException(ExitCodes.USAGE, "--json and LOCAL '-' both want stdout; give a local path");
    }
    String path = remote.endsWith("/") && remote.length() > 1 ? remote.substring(0, remote.length() - 1) : remote;
    boolean root = path.equals("/") || path.isEmpty();
    if (!root) {
      checkPath(name, path);
    }
    VolumeServiceGrpc.VolumeServiceBlockingStub stub = stub();
    // One manifest for the whole download, so that a directory comes from one version.
    VolumeManifest manifest = rpc(() -> stub.getManifest(GetManifestRequest.newBuilder().setVolume(name).build()));
    VolumeFile file = manifest.getFilesList().stream().filter(f -> f.getPath().equals(path)).findFirst()
        .orElse(null);
    try {
      if (file != null) {
        byte[] data = rpc(() -> stub.readVolumeFile(
            ReadVolumeFileRequest.newBuilder().setVolume(name).setPath(path).build()).getData().toByteArray());
        if ("-".equals(local)) {
          System.out.write(data);
          System.out.flush();
          return ExitCodes.OK;
        }
        Path target = local == null ? Path.of(fileName(path)) : Path.of(local);
        if (Files.isDirectory(target)) {
          target = target.resolve(fileName(path));
        }
        write(target, data);
        wrote(json, name, path, 1, data.length, target, true);
        return ExitCodes.OK;
      }
      String prefix = root ? "" : path + "/";
      List<VolumeFile> under = manifest.getFilesList().stream().filter(f -> f.getPath().startsWith(prefix)).toList();
      if (under.isEmpty()) {
        throw CliException.notFound("volume '" + name + "' has no file or directory '" + remote + "'");
      }
      if ("-".equals(local)) {
        throw CliException.failed("'" + remote + "' is a directory; give a local directory to write it to");
      }
      Path target = local == null ? Path.of(root ? name : fileName(path)) : Path.of(local);
      long bytes = 0;
      for (VolumeFile f : under) {
        byte[] data = rpc(() -> stub.getBlob(GetBlobRequest.newBuilder().setVolume(name).setHash(f.getHash())
            .build()).getData().toByteArray());
        write(VolumePaths.resolve(target.toAbsolutePath().normalize(), name, f.getPath().substring(prefix.length())),
            data);
        bytes += data.length;
      }
      wrote(json, name, path, under.size(), bytes, target, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write what was downloaded", e);
    }
    return ExitCodes.OK;
  }

  @Command(name = "rm", description = "Remove a file of a volume, or with -r a directory and everything under it.")
  int rm(
      @Parameters(index = "0", paramLabel = "NAME", description = "the volume") String name,
      @Parameters(index = "1", paramLabel = "PATH", description = "a file or directory in the volume") String path,
      @Option(names = {"-r", "--recursive"}, description = "remove a directory with everything under it")
      boolean recursive,
      @Option(names = "--json", description = "print JSON: {volume, path, removed}") boolean json) {
    checkName(name);
    checkPath(name, path);
    VolumeServiceGrpc.VolumeServiceBlockingStub stub = stub();
    List<VolumeDirEntry> found = rpc(() -> stub.listVolumeDir(
        ListVolumeDirRequest.newBuilder().setVolume(name).setDir(path).build()).getEntriesList());
    boolean isFile = found.size() == 1 && !found.get(0).getDirectory() && found.get(0).getPath().equals(path);
    if (!isFile && !recursive) {
      throw CliException.failed("'" + path + "' in volume '" + name + "' is a directory; remove it with -r");
    }
    rpc(() -> stub.commitVolume(CommitVolumeRequest.newBuilder().setVolume(name).addRemoves(path).build()));
    Confirmation.print(json, "Removed " + path + " from volume " + name, "volume", name, "path", path, "removed", true);
    return ExitCodes.OK;
  }

  @Command(name = "delete", description = {
      "Delete a volume and every file in it, for good.",
      "Refused while an active app mounts it. Asks first on a terminal; --yes skips the question."})
  int delete(
      @Parameters(paramLabel = "NAME", description = "the volume") String name,
      @Option(names = {"-y", "--yes"}, description = "do not ask") boolean yes,
      @Option(names = "--json", description = "print JSON: {volume, deleted}") boolean json) {
    checkName(name);
    if (!yes) {
      java.io.Console console = System.console();
      if (console == null) {
        throw CliException.failed("deleting volume '" + name + "' cannot be undone; add --yes to do it without a"
            + " terminal to ask on");
      }
      String answer = console.readLine("Delete volume %s and every file in it? [y/N] ", name);
      if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
        System.out.println("Kept volume " + name);
        return ExitCodes.FAILED;
      }
    }
    rpc(() -> stub().deleteVolume(DeleteVolumeRequest.newBuilder().setName(name).build()));
    Confirmation.print(json, "Deleted volume " + name, "volume", name, "deleted", true);
    return ExitCodes.OK;
  }

  /** What a download wrote: on stderr for a person, as stdout is for file contents; with --json on stdout. */
  private static void wrote(boolean json, String volume, String path, int files, long bytes, Path target,
      boolean oneFile) {
    if (json) {
      Confirmation.print(true, "", "volume", volume, "path", path, "files", files, "bytes", bytes,
          "target", target.toString());
    } else if (oneFile) {
      System.err.println("shoal: wrote " + target + " (" + size(bytes) + ")");
    } else {
      System.err.println("shoal: wrote " + files + (files == 1 ? " file" : " files") + " (" + size(bytes) + ") to "
          + target);
    }
  }

  private static VolumeServiceGrpc.VolumeServiceBlockingStub stub() {
    return VolumeServiceGrpc.newBlockingStub(Engines.current().channel())
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private static void checkName(String name) {
    String problem = VolumePaths.nameProblem(name);
    if (problem != null) {
      throw new CliException(ExitCodes.USAGE, problem);
    }
  }

  private static void checkPath(String volume, String path) {
    String problem = VolumePaths.pathProblem(volume, path);
    if (problem != null) {
      throw new CliException(ExitCodes.USAGE, problem);
    }
  }

  private static void write(Path target, byte[] data) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(target, data);
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
