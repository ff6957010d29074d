package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.shoal.internal.controlplane.FakeBackend.FakeContainer;
import dev.shoal.protocol.v1.ContainerOutput;
import dev.shoal.protocol.v1.GetMapResultsResponse;
import dev.shoal.protocol.v1.MapInput;
import dev.shoal.protocol.v1.MapOutput;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.ResultStatus;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A detached map's results, read back by its id a page at a time, in input order or as inputs finish. */
class MapResultsTest {
  private PoolFixture pool;

  @AfterEach
  void close() {
    pool.close();
  }

  private static List<MapInput> inputs(int n) {
    return IntStream.range(0, n).mapToObj(i -> MapInput.newBuilder().setIndex(i)
        .setArgs(Payload.newBuilder().setCodec(1).setData(ByteString.copyFromUtf8("input " + i))).build()).toList();
  }

  private static List<Long> indexes(GetMapResultsResponse page) {
    return page.getOutputsList().stream().map(MapOutput::getIndex).toList();
  }

  @Test
  void pageEndsAtTheFirstInputThatHasNotFinishedAndHoldsAtMostTheLimit() {
    pool = new PoolFixture(4, PoolFixture.function(60_000, 1));
    SpawnMapSession map = pool.controlPlane.openSpawnMap(pool.functionId);
    map.add(inputs(4));
    map.end(4);
    FakeContainer c = pool.awaitStarted(1);
    pool.ready(c); // one input at a time

    pool.answerAll(c);
    pool.failAll(c);
    String id = map.mapId();
    await().atMost(Duration.ofSeconds(30)).until(() -> pool.controlPlane.mapResults(id, 0, 10).getOutputsCount() == 2);

    GetMapResultsResponse page = pool.controlPlane.mapResults(id, 0, 10);
    assertThat(page.getTotal()).isEqualTo(4);
    assertThat(indexes(page)).containsExactly(0L, 1L);
    assertThat(page.getOutputs(0).getResult().getStatus()).as("a success keeps its value")
        .isEqualTo(ResultStatus.SUCCESS);
    assertThat(page.getOutputs(0).getResult().getValue().getData().toStringUtf8()).isEqualTo("input 0");
    assertThat(page.getOutputs(1).getResult().getStatus()).isEqualTo(ResultStatus.FAILURE);
    assertThat(indexes(pool.controlPlane.mapResults(id, 1, 1))).containsExactly(1L);
    assertThat(pool.controlPlane.mapResults(id, 2, 10).getOutputsCount()).as("input 2 runs").isZero();
  }

  @Test
  void unorderedPagesSkipWhatWasReturnedAndSettleOnlyPastEveryFinishedInput() {
    pool = new PoolFixture(4, PoolFixture.function(60_000, 1));
    SpawnMapSession map = pool.controlPlane.openSpawnMap(pool.functionId);
    map.add(inputs(4));
    map.end(4);
    FakeContainer c = pool.awaitStarted(1);
    ContainerRecord record = pool.hello(c);
    record.pool.ready(record, 4);
    await().atMost(Duration.ofSeconds(30)).until(() -> pool.sentTo(c).size() == 4);
    List<InputLease> sent = pool.sentTo(c);
    // Every input but the first one finishes.
    for (InputLease in : sent.subList(1, 4)) {
      record.pool.outputs(record, List.of(ContainerOutput.newBuilder().setInputId(in.inputId())
          .setResult(Result.newBuilder().setStatus(ResultStatus.SUCCESS).setValue(in.args())).build()), 4);
    }
    String id = map.mapId();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> pool.controlPlane.mapResultsUnordered(id, 0, 10, new BitSet()).getOutputsCount() == 3);

    GetMapResultsResponse page = pool.controlPlane.mapResultsUnordered(id, 0, 10, new BitSet());
    assertThat(indexes(page)).containsExactly(1L, 2L, 3L);
    assertThat(page.getSettledTo()).as("input 0 has not finished").isZero();
    assertThat(indexes(pool.controlPlane.mapResultsUnordered(id, 0, 2, new BitSet()))).containsExactly(1L, 2L);
    BitSet returned = new BitSet();
    returned.set(1, 4);
    GetMapResultsResponse nothingNew = pool.controlPlane.mapResultsUnordered(id, 0, 10, returned);
    assertThat(nothingNew.getOutputsCount()).isZero();
    assertThat(nothingNew.getSettledTo()).isZero();

    record.pool.outputs(record, List.of(ContainerOutput.newBuilder().setInputId(sent.get(0).inputId())
        .setResult(Result.newBuilder().setStatus(ResultStatus.SUCCESS).setValue(sent.get(0).args())).build()), 4);
    await().atMost(Duration.ofSeconds(30))
        .until(() -> pool.controlPlane.mapResultsUnordered(id, 0, 10, returned).getOutputsCount() == 1);
    GetMapResultsResponse last = pool.controlPlane.mapResultsUnordered(id, 0, 10, returned);
    assertThat(indexes(last)).containsExactly(0L);
    assertThat(last.getSettledTo()).as("every input has finished and been returned").isEqualTo(4);
  }
}
