package dev.shoal;

/**
 * A function of one argument that Shoal can run in a container. Its body may throw any exception; a remote caller
 * receives it as a {@link RemoteException}.
 */
@FunctionalInterface
public interface Fn<I, O> {
  O apply(I input) throws Exception;
}
