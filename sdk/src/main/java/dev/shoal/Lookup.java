package dev.shoal;

import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.client.Engines;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.protocol.v1.LookupFunctionRequest;
import dev.shoal.protocol.v1.LookupFunctionResponse;
import io.grpc.StatusRuntimeException;

/** Finds deployed functions by name. */
final class Lookup {
  private Lookup() {}

  static <I, O> RemoteFunction<I, O> function(String appName, String functionName) {
    Checks.notNull("app name", appName);
    Checks.notNull("function name", functionName);
    EngineConnection connection = Engines.current();
    LookupFunctionRequest request = LookupFunctionRequest.newBuilder()
        .setEnvironment(connection.environment())
        .setAppName(appName)
        .setFunctionName(functionName)
        .build();
    LookupFunctionResponse found;
    try {
      found = connection.retry().call("look up " + appName + "." + functionName,
          () -> connection.blocking().lookupFunction(request));
    } catch (StatusRuntimeException e) {
      throw Rpc.translate(e, "look up " + appName + "." + functionName);
    }
    return new FunctionHandle<>(functionName, new App.Target(connection, found.getFunctionId()),
        policyFor(found.getAppClass()));
  }

  /** The app's own classes when this process has them, else JDK value types only. */
  static ClassPolicy policyFor(String appClass) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = Lookup.class.getClassLoader();
    }
    try {
      return ClassPolicy.forApp(Class.forName(appClass, false, loader));
    } catch (ClassNotFoundException | LinkageError e) {
      return ClassPolicy.jdkOnly(loader);
    }
  }
}
