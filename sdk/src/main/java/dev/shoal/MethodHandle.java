package dev.shoal;

import dev.shoal.internal.client.BatchResults;
import dev.shoal.internal.client.RegisteredMethod;
import java.util.Collections;
import java.util.List;

/**
 * The {@link RemoteFunction} behind a method of a {@link Cls}, for one parameter set. Its function name is the
 * pool's name, a dot and the method's name ({@code Model.embed}, {@code Model(dim=64).embed}), which is how the
 * run finds the function id.
 */
final class MethodHandle<I, O> extends FunctionHandle<I, O> {
  private final ClsDefinition<?> cls;
  private final ClsParams params;
  private final String method;

  MethodHandle(ClsDefinition<?> cls, ClsParams params, String method) {
    super(cls.app, cls.poolName(params) + "." + method);
    this.cls = cls;
    this.params = params;
    this.method = method;
  }

  String method() {
    return method;
  }

  boolean belongsTo(ClsDefinition<?> definition) {
    return cls == definition;
  }

  @Override
  public RemoteFunction<I, O> withOptions(java.util.function.UnaryOperator<FunctionOptions.Builder> change) {
    throw new InvalidOptionException("variants are made of functions, and " + name + " is a method of class "
        + cls.name() + "; give the class the options instead");
  }

  @Override
  public RemoteFunction<I, O> withBatching(Batching batching) {
    return withOptions(java.util.function.UnaryOperator.identity());
  }

  /** Runs the method in this thread, on an instance of the class made for this JVM on first use. */
  @Override
  @SuppressWarnings("unchecked")
  public O local(I input) {
    return LocalCalls.run(() -> {
      Object self = cls.localInstance(params);
      RegisteredMethod m = cls.method(method);
      if (!m.batched()) {
        return (O) m.body().invoke(self, input);
      }
      Object results = m.body().invoke(self, Collections.singletonList(input));
      String mismatch = BatchResults.mismatch("batched method " + name, results, 1);
      if (mismatch != null) {
        throw new IllegalStateException(mismatch);
      }
      return (O) ((List<?>) results).get(0);
    });
  }
}
