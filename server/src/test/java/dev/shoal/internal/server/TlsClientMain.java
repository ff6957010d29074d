package dev.shoal.internal.server;

import dev.shoal.internal.client.Engines;
import dev.shoal.protocol.v1.ListAppsRequest;
import java.util.concurrent.TimeUnit;

/** A client JVM configured only by the environment, as a user's would be: lists the server's apps. */
public final class TlsClientMain {
  private TlsClientMain() {}

  public static void main(String[] args) {
    int apps = Engines.current().blocking().withDeadlineAfter(60, TimeUnit.SECONDS)
        .listApps(ListAppsRequest.getDefaultInstance()).getAppsCount();
    System.out.println("APPS " + apps);
    System.exit(0);
  }
}
