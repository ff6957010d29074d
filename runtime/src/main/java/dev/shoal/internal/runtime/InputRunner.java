package dev.shoal.internal.runtime;

import dev.shoal.InputContext;
import dev.shoal.internal.client.BatchResults;
import dev.shoal.internal.client.CurrentInput;
import dev.shoal.internal.client.Failures;
import dev.shoal.internal.client.payload.Payloads;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.CodecException;
import dev.shoal.internal.codec.PayloadLimits;
import dev.shoal.protocol.v1.ContainerInput;
import dev.shoal.protocol.v1.ContainerOutput;
import dev.shoal.protocol.v1.Failure;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.ResultStatus;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs a container's inputs, one at a time or as a batch, and returns each input's output. Every input gets
 * exactly one output, whatever its body does. The outputs are returned rather than sent, so that the container
 * can first count the inputs as finished: the credits that travel with the outputs must include their room.
 *
 * <p>Batches: inputs whose argument cannot be decoded fail by themselves and the rest run. An exception from the
 * body, or a result that is not a list with one element per input, fails every input of the batch with the same
 * failure; the control plane then retries each input by itself. While a batch runs, {@code Shoal.context()}
 * describes its first input: the container id is the same for all, and a function called from the body runs as
 * part of that input's call.
 *
 * <p>Cancellation: an input whose call was cancelled before it started does not run; one cancelled while it runs
 * has its thread interrupted (see {@link RunningInputs}), and whatever its body then returns or throws, its output
 * is a cancellation. In a batch only the cancelled inputs are answered so; the others keep their results.
 */
final class InputRunner {
  private final ServedCode served;
  private final ClassPolicy policy;
  private final String containerId;
  private final ContainerHost host;
  private final LogShipper logs;
  /** Where large arguments are downloaded from and large results uploaded to. */
  private final Channel channel;
  private final PayloadLimits limits;
  private final RunningInputs running;

  InputRunner(ServedCode served, ClassPolicy policy, String containerId, ContainerHost host, LogShipper logs,
      Channel channel, PayloadLimits limits, RunningInputs running) {
    this.running = running;
    this.logs = logs;
    this.channel = channel;
    this.limits = limits;
    this.served = served;
    this.policy = policy;
    this.containerId = containerId;
    this.host = host;
  }

  /** Runs one input, unless its call was cancelled. */
  ContainerOutput run(ContainerInput input) {
    List<String> ids = List.of(input.getInputId());
    running.start(ids);
    ContainerOutput output = null;
    try {
      if (!running.isCancelled(input.getInputId())) {
        output = attempt(input);
      }
    } finally {
      if (!running.end(ids).isEmpty()) {
        output = output(input, cancelled(input));
      }
    }
    return output;
  }

  /** Runs inputs of a batched function or method as one batch, but those cancelled; returns every output. */
  List<ContainerOutput> runBatch(List<ContainerInput> inputs) {
    List<String> ids = inputs.stream().map(ContainerInput::getInputId).toList();
    running.start(ids);
    List<ContainerOutput> outputs = new ArrayList<>(inputs.size());
    Set<String> cancelled;
    try {
      List<ContainerInput> live = inputs.stream().filter(in -> !running.isCancelled(in.getInputId())).toList();
      if (!live.isEmpty()) {
        outputs.addAll(attemptBatch(live));
      }
    } finally {
      cancelled = running.end(ids);
    }
    if (cancelled.isEmpty()) {
      return outputs;
    }
    List<ContainerOutput> answered = new ArrayList<>(inputs.size());
    for (ContainerOutput out : outputs) {
      if (!cancelled.contains(out.getInputId())) {
        answered.add(out);
      }
    }
    for (ContainerInput in : inputs) {
      if (cancelled.contains(in.getInputId())) {
        answered.add(output(in, cancelled(in)));
      }
    }
    return answered;
  }

  private ContainerOutput attempt(ContainerInput input) {
    ServedCode.Entry entry = served.entry(input.getMethod());
    if (entry == null) {
      return output(input, failure(noSuchMethod(input)));
    }
    if (entry.batched()) {
      return attemptBatch(List.of(input)).get(0);
    }
    Object argument;
    try {
      argument = decode(input, entry);
    } catch (CodecException e) {
      return output(input, failure(e));
    }
    Object value;
    InputContext context = context(input);
    CurrentInput.set(context, () -> running.isCancelled(input.getInputId()));
    OutputRouting.Route route = OutputRouting.enter(logs, context);
    try {
      value = entry.body().invoke(argument);
    } catch (Throwable e) {
      return output(input, failure(fatalOrItself(e)));
    } finally {
      OutputRouting.exit(route);
      CurrentInput.clear();
    }
    return output(input, encode(entry, value));
  }

  /** Runs inputs of a batched function or method as one batch; returns their outputs in any order. */
  private List<ContainerOutput> attemptBatch(List<ContainerInput> inputs) {
    List<ContainerOutput> outputs = new ArrayList<>(inputs.size());
    List<ContainerInput> runnable = new ArrayList<>(inputs.size());
    List<Object> arguments = new ArrayList<>(inputs.size());
    ServedCode.Entry entry = null;
    for (ContainerInput input : inputs) {
      ServedCode.Entry e = served.entry(input.getMethod());
      if (e == null || !e.batched() || (entry != null && e != entry)) {
        outputs.add(output(input, failure(e == null ? noSuchMethod(input)
            : new IllegalStateException(e.description() + " cannot share a batch with " + entry.description()))));
        continue;
      }
      try {
        arguments.add(decode(input, e));
      } catch (CodecException decodeFailure) {
        outputs.add(output(input, failure(decodeFailure)));
        continue;
      }
      entry = e;
      runnable.add(input);
    }
    if (runnable.isEmpty()) {
      return outputs;
    }
    Object results;
    InputContext context = context(runnable.get(0));
    List<String> ids = runnable.stream().map(ContainerInput::getInputId).toList();
    CurrentInput.set(context, () -> running.allCancelled(ids));
    OutputRouting.Route route = OutputRouting.enter(logs, context);
    try {
      results = entry.body().invoke(arguments);
    } catch (Throwable e) {
      Result failed = failure(fatalOrItself(e));
      runnable.forEach(in -> outputs.add(output(in, failed)));
      return outputs;
    } finally {
      OutputRouting.exit(route);
      CurrentInput.clear();
    }
    String mismatch = BatchResults.mismatch(entry.description(), results, runnable.size());
    if (mismatch != null) {
      Result failed = failure(Failures.of(IllegalStateException.class.getName(), mismatch));
      runnable.forEach(in -> outputs.add(output(in, failed)));
      return outputs;
    }
    List<?> values = (List<?>) results;
    for (int i = 0; i < runnable.size(); i++) {
      outputs.add(output(runnable.get(i), encode(entry, values.get(i))));
    }
    return outputs;
  }

  private Object decode(ContainerInput input, ServedCode.Entry entry) throws CodecException {
    try {
      return Payloads.decode(input.getArgs(), "the argument", policy, channel, false, limits.spillDirectory());
    } catch (CodecException | UncheckedIOException e) {
      throw new CodecException("the argument of " + entry.description() + " cannot be decoded in the container: "
          + e.getMessage(), e);
    } catch (StatusRuntimeException e) {
      throw new CodecException("the argument of " + entry.description() + " cannot be downloaded from the"
          + " control plane: " + e.getStatus().getCode() + " " + e.getStatus().getDescription(), e);
    }
  }

  /**
   * The result of a successful body, or the failure of its attempt when the value cannot travel: one the caller
   * would refuse, one past the payload limit (which fails as it passes the limit, before it is all encoded), or one
   * whose upload failed. Such a failure is the attempt's own, like an exception from the body, not a crash.
   */
  private Result encode(ServedCode.Entry entry, Object value) {
    try {
      return Result.newBuilder()
          .setStatus(ResultStatus.SUCCESS)
          .setValue(Payloads.encode(value, policy, limits, channel))
          .build();
    } catch (CodecException | UncheckedIOException e) {
      return failure(new CodecException(
          "the result of " + entry.description() + " cannot be sent back: " + e.getMessage(), e));
    } catch (StatusRuntimeException e) {
      return failure(new CodecException("the result of " + entry.description() + " cannot be uploaded to the"
          + " control plane: " + e.getStatus().getCode() + " " + e.getStatus().getDescription(), e));
    }
  }

  private InputContext context(ContainerInput input) {
    return new InputContext(input.getInputId(), input.getCallId(), input.getAttempt(), containerId);
  }

  private IllegalStateException noSuchMethod(ContainerInput input) {
    String what = input.getMethod().isEmpty() ? "a plain function" : "method '" + input.getMethod() + "'";
    return new IllegalStateException("container of " + served.name() + " has no " + what + " when its app class"
        + " is loaded; define every method in a static field of the app class, before app.run()");
  }

  private Throwable fatalOrItself(Throwable e) {
    return host.fatalOrItself(e);
  }

  private static ContainerOutput output(ContainerInput input, Result result) {
    return ContainerOutput.newBuilder().setInputId(input.getInputId()).setResult(result).build();
  }

  private static Result cancelled(ContainerInput input) {
    return Result.newBuilder().setStatus(ResultStatus.CANCELLED).setFailure(Failures.of("dev.shoal.CancelledException",
        "input " + input.getInputId() + " of call " + input.getCallId() + " was cancelled")).build();
  }

  private static Result failure(Throwable e) {
    return failure(Failures.toProto(e));
  }

  private static Result failure(Failure f) {
    return Result.newBuilder().setStatus(ResultStatus.FAILURE).setFailure(f).build();
  }
}
