package dev.shoal.internal.codec.app;

/** Stands for a user's app class, whose package and code source decide which classes it may decode. */
public final class AppMain {
  private AppMain() {}
}
