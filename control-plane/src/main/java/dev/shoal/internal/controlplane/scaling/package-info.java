/**
 * The autoscaler that decides how many containers each function pool should run.
 *
 * <p>Everything in this package is pure logic: it performs no I/O, takes no locks and reads no
 * clock of its own. The control plane describes a pool with a {@link
 * dev.shoal.internal.controlplane.scaling.PoolSnapshot}, passes the current time in, and applies
 * the returned {@link dev.shoal.internal.controlplane.scaling.ScalingDecision} itself. Keeping the
 * policy free of side effects is what lets it be tested exhaustively with fixed instants.
 */
package dev.shoal.internal.controlplane.scaling;
