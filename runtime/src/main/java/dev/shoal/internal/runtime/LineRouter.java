package dev.shoal.internal.runtime;

import dev.shoal.protocol.v1.LogSource;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * What {@code System.out} or {@code System.err} writes to inside a container runtime: bytes written by a thread
 * that has a {@link OutputRouting.Route} are gathered into lines, per thread, and each whole line goes to that
 * route; bytes written by any other thread go to the stream this one replaced, unchanged.
 *
 * <p>Gathering per thread is what keeps concurrent inputs' lines whole and apart: two inputs that print at once
 * never share a line. A line longer than {@link #MAX_LINE_BYTES} is cut into pieces of that size.
 */
final class LineRouter extends OutputStream {
  static final int MAX_LINE_BYTES = 8192;

  private final PrintStream original;
  private final LogSource source;
  private final Charset charset;
  private final ThreadLocal<Pending> pending = new ThreadLocal<>();

  LineRouter(PrintStream original, LogSource source) {
    this.original = original;
    this.source = source;
    this.charset = original.charset();
  }

  Charset charset() {
    return charset;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    OutputRouting.Route route = OutputRouting.current();
    Pending p = pending.get();
    if (route == null) {
      if (p != null) {
        p.emit();
      }
      original.write(bytes, offset, length);
      return;
    }
    if (p == null) {
      p = new Pending();
      pending.set(p);
    }
    if (p.route != route) {
      p.emit();
      p.route = route;
    }
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        p.emit();
        p.route = route;
      } else {
        p.line.write(b);
        if (p.line.size() >= MAX_LINE_BYTES) {
          p.emit();
          p.route = route;
        }
      }
    }
  }

  @Override
  public void flush() {
    original.flush();
  }

  /** Sends the calling thread's unfinished line, if any, to the route it was written for. */
  void endLineOfThisThread() {
    Pending p = pending.get();
    if (p != null) {
      p.emit();
      pending.remove();
    }
  }

  /** The part of a line one thread has written and not yet ended. */
  private final class Pending {
    final ByteArrayOutputStream line = new ByteArrayOutputStream();
    OutputRouting.Route route;

    void emit() {
      if (route != null && line.size() > 0) {
        int n = line.size();
        byte[] bytes = line.toByteArray();
        if (bytes[n - 1] == '\r') {
          n--;
        }
        route.line(source, new String(bytes, 0, n, charset));
      }
      line.reset();
      route = null;
    }
  }
}
