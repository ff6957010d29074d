package dev.shoal.internal.server;

import dev.shoal.App;
import dev.shoal.RemoteFunction;

/** An app whose function runs in a container that must reach a TLS server. */
public final class TlsApp {
  public static final App app = App.named("tls-app");
  public static final RemoteFunction<Integer, Integer> twice = app.function("twice", x -> x * 2);

  private TlsApp() {}
}
