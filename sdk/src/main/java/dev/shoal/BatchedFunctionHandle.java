package dev.shoal;

import dev.shoal.internal.client.BatchResults;
import java.util.Collections;
import java.util.List;

/** The {@link RemoteFunction} behind {@code app.batched(...)}: called with single inputs, run on batches. */
final class BatchedFunctionHandle<I, O> extends FunctionHandle<I, O> {
  BatchedFunctionHandle(App app, String name) {
    super(app, name);
  }

  @Override
  FunctionHandle<I, O> sameKind(String function) {
    return new BatchedFunctionHandle<>(app, function);
  }

  /** Runs the body in this thread on a batch of one. */
  @Override
  @SuppressWarnings("unchecked")
  public O local(I input) {
    return LocalCalls.run(() -> {
      Object results = app.body(name).invoke(Collections.singletonList(input));
      String mismatch = BatchResults.mismatch("batched function " + name, results, 1);
      if (mismatch != null) {
        throw new IllegalStateException(mismatch);
      }
      return (O) ((List<?>) results).get(0);
    });
  }
}
