package dev.shoal.internal.client;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import io.grpc.netty.shaded.io.netty.util.concurrent.Future;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Netty event loops of every gRPC channel and server that Shoal opens over TCP in this JVM, so that they end
 * when the JVM does.
 *
 * <p>A HotSpot JVM that exits first waits, for up to about 0.3 s, for every thread that is running native code to
 * leave it, and an idle event loop sits in {@code epoll_wait}. gRPC's own loops are shared and outlive their last
 * channel by a second, so every Shoal JVM ended 0.3 s after its work did: each CLI command, each container that was
 * stopped (a run's close waits for them), each job. A program whose one daemon thread waits in a selector takes
 * 0.41 s from start to exit against 0.06 s without it (JDK 25, {@code System.exit}, a return from {@code main} or
 * {@code Runtime.halt} alike). These loops are Shoal's, so {@link ExitHooks}' hook ends them once every other Shoal
 * hook has run, and a JVM that halts ends them first with {@link #stop}.
 *
 * <p>The sizes are gRPC's defaults: one thread to accept connections, twice the cores to serve them, shared by the
 * JVM's clients and servers; the threads are daemons, as gRPC's are.
 */
public final class NetThreads {
  /** How long an exit waits for the loops to end; they end in milliseconds once told to. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(2);

  private static final String NAME = "shoal-net";

  private static EventLoopGroup boss;
  private static EventLoopGroup workers;

  private NetThreads() {}

  /** A channel to {@code host:port} on these loops. */
  public static NettyChannelBuilder channelTo(String host, int port) {
    return NettyChannelBuilder.forAddress(host, port)
        .eventLoopGroup(workers())
        .channelType(NioSocketChannel.class);
  }

  /** A server listening on {@code address}, on these loops. */
  public static NettyServerBuilder serverOn(SocketAddress address) {
    return NettyServerBuilder.forAddress(address)
        .bossEventLoopGroup(boss())
        .workerEventLoopGroup(workers())
        .channelType(NioServerSocketChannel.class);
  }

  /** Whether {@code thread} is one of these loops': they live as long as the JVM, shared by all it opens. */
  public static boolean isOne(Thread thread) {
    return thread.isDaemon() && thread.getName().startsWith(NAME + "-");
  }

  /** The loops that serve connections, of clients and servers alike. */
  static synchronized EventLoopGroup workers() {
    if (workers == null) {
      workers = group(NAME, 2 * Runtime.getRuntime().availableProcessors());
    }
    return workers;
  }

  /** The loop that accepts a server's connections. */
  private static synchronized EventLoopGroup boss() {
    if (boss == null) {
      boss = group(NAME + "-accept", 1);
    }
    return boss;
  }

  private static EventLoopGroup group(String name, int threads) {
    ExitHooks.install();
    Channels.quietNetty();
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), NioIoHandler.newFactory());
  }

  /**
   * Ends the loops, closing whatever connections they still serve, and waits for their threads to end. For a JVM's
   * exit: a channel or server used afterwards fails. A later one gets loops of its own.
   */
  public static void stop() {
    List<EventLoopGroup> groups = new ArrayList<>(2);
    synchronized (NetThreads.class) {
      if (workers != null) {
        groups.add(workers);
      }
      if (boss != null) {
        groups.add(boss);
      }
      workers = null;
      boss = null;
    }
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    try {
      drain(groups, deadline);
      for (EventLoopGroup group : groups) {
        group.shutdownGracefully(0, STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
      for (EventLoopGroup group : groups) {
        group.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until each loop has run the tasks queued on it so far: a message a channel was given just before (a
   * container's last output, its stream's end) is queued there, and a loop that is shutting down closes its
   * connections before it runs what is left in its queue.
   */
  private static void drain(List<EventLoopGroup> groups, long deadline) throws InterruptedException {
    List<Future<?>> marks = new ArrayList<>();
    for (EventLoopGroup group : groups) {
      for (EventExecutor loop : group) {
        marks.add(loop.submit(() -> {}));
      }
    }
    for (Future<?> mark : marks) {
      mark.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
  }
}
