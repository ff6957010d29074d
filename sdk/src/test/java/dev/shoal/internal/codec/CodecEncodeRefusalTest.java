package dev.shoal.internal.codec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.codec.CodecFixtures.Node;
import dev.shoal.internal.codec.CodecFixtures.Point;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CodecEncodeRefusalTest {
  record Task(String name, Runnable action) {}

  record Job(String name, Thread worker) {}

  record Batch(List<Job> jobs) {}

  record Streaming(Stream<String> stream) {}

  static final class Wrapper {
    final Map<String, Object> byName;

    Wrapper(Map<String, Object> byName) {
      this.byName = byName;
    }
  }

  static final class CustomLoader extends ClassLoader {
    final String label = "custom";
  }

  static final class Failure extends RuntimeException {
    final String detail = "d";
  }

  @Test
  void lambdaIsRefusedAtEncodeNamingTheClass() {
    Runnable lambda = () -> {};
    assertThatThrownBy(() -> Codec.encode(lambda))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("cannot serialise " + lambda.getClass().getName())
        .hasMessageContaining("(at top level)")
        .hasMessageContaining("lambda");
  }

  @Test
  void lambdaInARecordComponentIsRefusedNamingTheField() {
    Supplier<String> s = () -> "x";
    assertThatThrownBy(() -> Codec.encode(new Task("t", s::get)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("(at " + Task.class.getName() + ".action)")
        .hasMessageContaining("lambda");
  }

  @Test
  void threadIsRefusedAsNotAValueTypeNamingTheFieldPath() {
    Job job = new Job("j", new Thread(() -> {}));
    assertThatThrownBy(() -> Codec.encode(job))
        .isInstanceOf(CodecException.class)
        .hasMessageStartingWith("cannot serialise java.lang.Thread (at " + Job.class.getName()
            + ".worker): not a value type");
  }

  @Test
  void pathGoesThroughCollectionsAndNestedClasses() {
    Batch batch = new Batch(List.of(new Job("ok", null), new Job("bad", new Thread(() -> {}))));
    assertThatThrownBy(() -> Codec.encode(batch))
        .hasMessageContaining("(at " + Batch.class.getName() + ".jobs[1] > " + Job.class.getName()
            + ".worker)");
    assertThatThrownBy(() -> Codec.encode(List.of(1, List.of(2, new Object()))))
        .hasMessageContaining("cannot serialise java.lang.Object (at list[1][1])");
    Wrapper wrapper = new Wrapper(Map.of("in", new ByteArrayInputStream(new byte[0])));
    assertThatThrownBy(() -> Codec.encode(wrapper))
        .hasMessageContaining("cannot serialise java.io.ByteArrayInputStream (at "
            + Wrapper.class.getName() + ".byName[\"in\"])");
  }

  @Test
  void streamInAFieldIsRefusedNamingTheField() {
    assertThatThrownBy(() -> Codec.encode(new Streaming(Stream.of("a"))))
        .hasMessageContaining("(at " + Streaming.class.getName() + ".stream)")
        .hasMessageContaining("not a value type");
  }

  @Test
  void jdkResourcesAndServicesAreRefusedAsNotValueTypes() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try (Socket socket = new Socket(); InputStream in = new ByteArrayInputStream(new byte[1])) {
      for (Object resource : List.of(socket, in, executor, new AtomicInteger(),
          ClassLoader.getSystemClassLoader(), String.class, new Object())) {
        assertThatThrownBy(() -> Codec.encode(resource))
            .isInstanceOf(CodecException.class)
            .hasMessageContaining("cannot serialise " + resource.getClass().getName())
            .hasMessageContaining("not a value type");
      }
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void userSubclassesOfStatefulJdkClassesAreRefusedNamingTheJdkClass() {
    assertThatThrownBy(() -> Codec.encode(new CustomLoader()))
        .hasMessageContaining("cannot serialise " + CustomLoader.class.getName())
        .hasMessageContaining("extends java.lang.ClassLoader");
    assertThatThrownBy(() -> Codec.encode(new Failure()))
        .hasMessageContaining("extends java.lang.Throwable");
  }

  @Test
  void jdkEnumsOfInternalsAndArraysOfNonValuesAreRefused() {
    assertThatThrownBy(() -> Codec.encode(Thread.State.NEW))
        .hasMessageContaining("cannot serialise java.lang.Thread$State");
    assertThatThrownBy(() -> Codec.encode(new Thread[0]))
        .hasMessageContaining("cannot serialise [Ljava.lang.Thread;");
  }

  @Test
  void dynamicProxiesAreRefused() {
    Object proxy = Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Runnable.class}, (p, m, a) -> null);
    assertThatThrownBy(() -> Codec.encode(proxy)).hasMessageContaining("dynamic proxy");
  }

  @Test
  void sortedCollectionsWithACustomComparatorAreRefused() {
    TreeSet<String> reversed = new TreeSet<>(Comparator.reverseOrder());
    reversed.add("a");
    assertThatThrownBy(() -> Codec.encode(reversed)).hasMessageContaining("custom comparator");
    TreeMap<String, Integer> byLength = new TreeMap<>(Comparator.comparing(String::length));
    assertThatThrownBy(() -> Codec.encode(byLength)).hasMessageContaining("custom comparator");
  }

  @Test
  void cyclicGraphIsRefusedWithAClearMessage() {
    Node node = new Node(1, null);
    node.next = new Node(2, node);
    assertThatThrownBy(() -> Codec.encode(node))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("cannot serialise " + Node.class.getName())
        .hasMessageContaining("(at " + Node.class.getName() + ".next.next.next")
        .hasMessageContaining("cyclic");
    List<Object> selfContaining = new ArrayList<>();
    selfContaining.add(selfContaining);
    assertThatThrownBy(() -> Codec.encode(selfContaining))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("cyclic");
  }

  @Test
  void absurdlyDeepGraphIsRefusedWithoutStackOverflow() {
    assertThatThrownBy(() -> Codec.encode(CodecFixtures.chain(5000)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("more than 1000 levels deep")
        .hasMessageNotContaining("cyclic");
    Object nested = List.of();
    for (int i = 0; i < 100_000; i++) {
      nested = List.of(nested);
    }
    Object deep = nested;
    assertThatThrownBy(() -> Codec.encode(deep)).isInstanceOf(CodecException.class)
        .hasMessageContaining("levels deep");
  }

  @Test
  void recordsAreFineWhereTheirComponentsAre() {
    // A sanity check that the refusals above are about the offending values, not the records.
    Codec.encode(new Job("j", null));
    Codec.encode(new Point(1, 2));
  }
}
