package dev.shoal.internal.runtime;

import dev.shoal.InputContext;
import dev.shoal.internal.client.StdStreams;
import dev.shoal.protocol.v1.LogSource;
import java.io.PrintStream;

/**
 * Routes what user code prints in a container to the control plane, with the input it belongs to.
 *
 * <p>{@code System.out} and {@code System.err} are replaced once per JVM by {@link LineRouter}s. An input's
 * thread carries a route for as long as the input runs; threads it starts inherit the route, so their lines are
 * the input's too, until the input ends. In a container process every other thread prints to the container's
 * own route (lines without an input); in the caller's JVM, where thread containers run, every other thread —
 * the caller's own among them — prints to the real stdout and stderr as before.
 */
final class OutputRouting {
  private static final InheritableThreadLocal<Route> ROUTE = new InheritableThreadLocal<>();
  private static volatile Route unattributed;
  private static LineRouter out;
  private static LineRouter err;

  private OutputRouting() {}

  /** Replaces {@code System.out} and {@code System.err} with routers, once per JVM. */
  static synchronized void install() {
    if (out != null) {
      return;
    }
    PrintStream realOut = System.out;
    PrintStream realErr = System.err;
    StdStreams.saveOriginals(realOut, realErr);
    out = new LineRouter(realOut, LogSource.STDOUT);
    err = new LineRouter(realErr, LogSource.STDERR);
    System.setOut(new PrintStream(out, true, out.charset()));
    System.setErr(new PrintStream(err, true, err.charset()));
  }

  /** In a container process: lines of threads that run no input go to the container's log. */
  static void routeUnattributedTo(LogShipper shipper) {
    unattributed = new Route(shipper, null, null);
  }

  /** Routes the calling thread's output, and that of threads it starts, to {@code input}'s log. */
  static Route enter(LogShipper shipper, InputContext input) {
    Route route = new Route(shipper, input.inputId(), input.functionCallId());
    ROUTE.set(route);
    return route;
  }

  /**
   * Routes the calling thread's output, and that of threads it starts, to the container's log without an input:
   * for code of the container's own, such as a Cls instance's {@code close()}.
   */
  static Route enterContainer(LogShipper shipper) {
    Route route = new Route(shipper, null, null);
    ROUTE.set(route);
    return route;
  }

  /** Ends an input's route: its unfinished line on this thread goes out, and no thread prints to it again. */
  static void exit(Route route) {
    LineRouter o;
    LineRouter e;
    synchronized (OutputRouting.class) {
      o = out;
      e = err;
    }
    if (o != null) {
      System.out.flush();
      o.endLineOfThisThread();
      e.endLineOfThisThread();
    }
    route.active = false;
    ROUTE.remove();
  }

  /** Where the calling thread's output goes; null for the stream that was replaced. */
  static Route current() {
    Route r = ROUTE.get();
    if (r != null && r.active) {
      return r;
    }
    return unattributed;
  }

  /** Where one input's (or one container's) lines go. */
  static final class Route {
    private final LogShipper shipper;
    private final String inputId;
    private final String callId;
    volatile boolean active = true;

    Route(LogShipper shipper, String inputId, String callId) {
      this.shipper = shipper;
      this.inputId = inputId;
      this.callId = callId;
    }

    void line(LogSource source, String text) {
      shipper.line(source, text, inputId, callId);
    }
  }
}
