package dev.shoal.internal.client;

import dev.shoal.protocol.v1.AppHeartbeatRequest;
import io.grpc.StatusRuntimeException;

/** Tells the engine every few seconds that the client of an ephemeral run is still there. */
public final class AppHeartbeat {
  private static final long INTERVAL_MILLIS = 5_000;

  private final Thread thread;
  private volatile boolean stopped;

  public AppHeartbeat(EngineConnection connection, String appId) {
    AppHeartbeatRequest request = AppHeartbeatRequest.newBuilder().setAppId(appId).build();
    thread = Thread.ofPlatform().daemon().name("shoal-heartbeat-" + appId).start(() -> {
      while (!stopped) {
        try {
          Thread.sleep(INTERVAL_MILLIS);
          connection.blocking().appHeartbeat(request);
        } catch (InterruptedException e) {
          return;
        } catch (StatusRuntimeException e) {
          // A missed beat is retried at the next interval; the engine allows for several.
        }
      }
    });
  }

  public void stop() {
    stopped = true;
    thread.interrupt();
  }
}
