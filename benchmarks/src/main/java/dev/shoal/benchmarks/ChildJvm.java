package dev.shoal.benchmarks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scenario's helper JVM (an echo server, JobRunr, a heap-limited map), started with this JVM's classpath. The
 * child reports by printing {@code RESULT {json}}; anything else it prints (warnings, a JVM's last words) is kept
 * so that a failure or a noisy peer can be explained.
 */
public final class ChildJvm implements AutoCloseable {
  private static final String RESULT = "RESULT ";
  private static final String PROGRESS = "@PROGRESS ";
  private static final String END_OF_OUTPUT = "\0end";
  private static final int TAIL_LINES = 30;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Deque<String> tail = new ArrayDeque<>();
  private final List<String> chatter = new ArrayList<>();
  private volatile String lastProgress;

  private ChildJvm(String name, Process process) {
    this.name = name;
    this.process = process;
    Thread.ofPlatform().daemon().name("child-output-" + name).start(this::readOutput);
  }

  public static ChildJvm start(Class<?> main, List<String> jvmFlags, List<String> args) {
    return start(main, jvmFlags, args, System.getProperty("java.class.path"));
  }

  /** As {@link #start(Class, List, List)}, on another classpath. */
  public static ChildJvm start(Class<?> main, List<String> jvmFlags, List<String> args, String classpath) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(classpath);
    command.add(main.getName());
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      return new ChildJvm(main.getSimpleName(), process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a child JVM for " + main.getName(), e);
    }
  }

  /** Waits for the child's line that starts with {@code prefix} and returns the rest of it. */
  public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    return awaitLine(prefix, timeout, timeout);
  }

  /**
   * As {@link #awaitLine(String, Duration)}, but gives up early when the child prints nothing at all for
   * {@code stallTimeout}: a child that reports progress and then goes quiet is hung, and a thread dump of it now
   * says why better than one taken at the end of a long timeout.
   */
  public String awaitLine(String prefix, Duration timeout, Duration stallTimeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long wait = Math.min(deadline - System.nanoTime(), stallTimeout.toNanos());
      String line = lines.poll(wait, TimeUnit.NANOSECONDS);
      if (line == null) {
        String why = System.nanoTime() >= deadline ? "within " + timeout : "and then nothing for " + stallTimeout;
        throw new IllegalStateException(name + " printed no '" + prefix.strip() + "' line " + why + " ("
            + dumpThreads() + "); its output ended with:\n" + tail());
      }
      if (line.equals(END_OF_OUTPUT)) {
        throw new IllegalStateException(name + " exited with code " + process.waitFor()
            + " before printing '" + prefix.strip() + "'; its output ended with:\n" + tail());
      }
      if (line.startsWith(PROGRESS)) {
        lastProgress = line.substring(PROGRESS.length());
      }
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
    }
  }

  /** Waits for the child's {@code RESULT} line and decodes it. */
  public Map<String, Object> awaitResult(Duration timeout) throws InterruptedException {
    return awaitResult(timeout, timeout);
  }

  public Map<String, Object> awaitResult(Duration timeout, Duration stallTimeout) throws InterruptedException {
    try {
      return JSON.readValue(awaitLine(RESULT, timeout, stallTimeout), new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(name + " printed a RESULT line that is not JSON", e);
    }
  }

  /** The last progress the child reported, or null; says how far a child got that did not finish. */
  public String lastProgress() {
    return lastProgress;
  }

  /** What the child printed besides its protocol lines: warnings, mostly. */
  public synchronized List<String> chatter() {
    return List.copyOf(chatter);
  }

  /** The last lines the child printed. */
  public synchronized String tail() {
    return String.join("\n", tail);
  }

  /** Writes the hung child's threads, virtual ones too, to a file, and says where; or why it could not. */
  private String dumpThreads() {
    try {
      Path dump = Files.createTempFile("shoal-benchmark-" + name + "-", ".threads.txt");
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(process.pid()), "Thread.dump_to_file", "-overwrite", dump.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!jcmd.waitFor(30, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
        jcmd.destroyForcibly();
        return "jcmd could not dump its threads";
      }
      return "its threads are in " + dump;
    } catch (IOException e) {
      return "no thread dump: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "no thread dump: interrupted";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  private void readOutput() {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        remember(line);
        lines.add(line);
      }
    } catch (IOException e) {
      remember("(reading its output failed: " + e + ")");
    } finally {
      lines.add(END_OF_OUTPUT);
    }
  }

  private synchronized void remember(String line) {
    tail.addLast(line);
    if (tail.size() > TAIL_LINES) {
      tail.removeFirst();
    }
    // Stack frames are left out: a peer that logs exceptions would fill the JSON with them.
    boolean frame = line.startsWith("\tat ") || line.startsWith("\t... ");
    if (!line.startsWith(RESULT) && !line.startsWith(Child.PROTOCOL_PREFIX) && !frame
        && chatter.size() < TAIL_LINES) {
      chatter.add(line);
    }
  }

  /** The child's side of the protocol. */
  public static final class Child {
    /** Lines that start with this are the child's protocol, not chatter (a port, progress). */
    public static final String PROTOCOL_PREFIX = "@";

    private Child() {}

    /** Prints the child's result for the parent. */
    public static void report(Map<String, Object> result) {
      try {
        System.out.println(RESULT + JSON.writeValueAsString(result));
        System.out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Tells the parent how far the child has got; it also shows that the child is not hung. */
    public static void progress(String text) {
      System.out.println(PROGRESS + text);
      System.out.flush();
    }

    /** Ends this JVM when its parent goes, even by {@code kill -9}: the parent's end closes our stdin. */
    public static void exitWithParent() {
      Thread.ofPlatform().daemon().name("exit-with-parent").start(() -> {
        try {
          while (System.in.read() >= 0) {
            // The parent never writes; reading only waits for the end of the stream.
          }
        } catch (IOException e) {
          // A broken stdin means the parent is gone all the same.
        }
        Runtime.getRuntime().halt(2);
      });
    }
  }
}
