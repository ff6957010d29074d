package dev.shoal.internal.cli;

import dev.shoal.internal.client.FileTrees;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/**
 * The user's program as {@code run} and {@code deploy} take it: a single source file, which is compiled into a
 * temporary directory, or a class on a classpath. Closing it deletes what compiling made.
 */
final class UserCode implements AutoCloseable {
  private final String className;
  private final List<String> classpath;
  private final Path temporary;
  /** Deletes the compiled classes if the CLI is stopped (Ctrl-C, kill) while the job runs. */
  private final Thread deleteOnExit;

  private UserCode(String className, List<String> classpath, Path temporary) {
    this.className = className;
    this.classpath = classpath;
    this.temporary = temporary;
    this.deleteOnExit = temporary == null ? null : new Thread(() -> delete(temporary), "shoal-delete-job-classes");
    if (deleteOnExit != null) {
      Runtime.getRuntime().addShutdownHook(deleteOnExit);
    }
  }

  /**
   * @param className --class, or null when the first of {@code positionals} is a source file
   * @param classpath --classpath, or null
   * @param positionals the command's positional parameters; a source file, when there is one, is taken off
   */
  static UserCode resolve(CommandLine command, String className, String classpath, List<String> positionals) {
    List<String> userClasspath = new ArrayList<>();
    if (classpath != null) {
      for (String entry : classpath.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          Path path = Path.of(entry).toAbsolutePath().normalize();
          if (!Files.exists(path)) {
            throw new ParameterException(command, "--classpath entry " + path + " does not exist");
          }
          userClasspath.add(path.toString());
        }
      }
    }
    if (className != null) {
      return new UserCode(className, userClasspath, null);
    }
    if (positionals.isEmpty() || !positionals.getFirst().endsWith(".java")) {
      throw new ParameterException(command, "give a source file (`shoal " + command.getCommandName()
          + " Job.java`) or a compiled class (`shoal " + command.getCommandName()
          + " --class com.acme.Job --classpath target/classes`)");
    }
    Path source = Path.of(positionals.removeFirst()).toAbsolutePath().normalize();
    if (!Files.isRegularFile(source)) {
      throw CliException.notFound("no source file " + source);
    }
    Path directory;
    try {
      directory = Files.createTempDirectory("shoal-job-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the compiled job", e);
    }
    try {
      SourceCompiler.Compiled compiled = SourceCompiler.compile(source, directory);
      userClasspath.addFirst(compiled.directory().toString());
      return new UserCode(compiled.mainClass(), userClasspath, directory);
    } catch (RuntimeException e) {
      delete(directory);
      throw e;
    }
  }

  String className() {
    return className;
  }

  /**
   * The user's classpath, then the CLI's: containers start with this classpath, so they can load the app class
   * and the Shoal runtime alike.
   */
  String childClasspath() {
    List<String> entries = new ArrayList<>(classpath);
    entries.addAll(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
    return String.join(File.pathSeparator, entries);
  }

  @Override
  public void close() {
    if (temporary != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(deleteOnExit);
      } catch (IllegalStateException e) {
        return; // already shutting down: the hook deletes the directory
      }
      delete(temporary);
    }
  }

  private static void delete(Path directory) {
    try {
      FileTrees.deleteTree(directory);
    } catch (IOException e) {
      // A leftover temporary directory is harmless; the job's outcome matters more.
    }
  }
}
