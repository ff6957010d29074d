package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.protocol.v1.LogEntry;
import dev.shoal.protocol.v1.LogSource;
import org.junit.jupiter.api.Test;

class AppLogTest {
  private static LogEntry.Builder line(String text) {
    return LogEntry.newBuilder().setSource(LogSource.STDOUT).setText(text);
  }

  @Test
  void readReturnsEntriesAfterAPositionInOrder() {
    AppLog log = new AppLog("ap-1", "app", "main", 1 << 20);
    for (int i = 1; i <= 5; i++) {
      log.append(line("line " + i));
    }
    AppLog.Slice slice = log.read(2, 10);
    assertThat(slice.entries()).extracting(LogEntry::getText).containsExactly("line 3", "line 4", "line 5");
    assertThat(slice.entries()).extracting(LogEntry::getSeq).containsExactly(3L, 4L, 5L);
    assertThat(slice.missed()).isZero();
    assertThat(slice.lastSeq()).isEqualTo(5);
    assertThat(log.read(5, 10).entries()).isEmpty();
    assertThat(log.read(0, 2).entries()).extracting(LogEntry::getText).containsExactly("line 1", "line 2");
  }

  @Test
  void appendOverTheBudgetDropsTheOldestAndAReaderBehindLearnsHowManyItMissed() {
    // Room for about ten entries of ten characters.
    AppLog log = new AppLog("ap-1", "app", "main", 10 * (AppLog.ENTRY_OVERHEAD_BYTES + 20));
    for (int i = 0; i < 1_000; i++) {
      log.append(line(String.format("line %05d", i)));
    }
    AppLog.Slice slice = log.read(0, 1_000);
    assertThat(slice.entries()).hasSize(10);
    assertThat(slice.missed()).isEqualTo(990);
    assertThat(slice.entries().getLast().getText()).isEqualTo("line 00999");
    assertThat(log.lastSeq()).isEqualTo(1_000);
  }

  @Test
  void awaitAfterReturnsOnceTheLogIsClosed() throws InterruptedException {
    AppLog log = new AppLog("ap-1", "app", "main", 1 << 20);
    Thread closer = Thread.ofVirtual().start(log::close);
    log.awaitAfter(0, 60_000);
    closer.join();
    assertThat(log.closed()).isTrue();
  }

  @Test
  void logsAreFoundByIdOrByTheNewestAppOfANameAndStoppedOnesAreKeptUpToTheLimit() {
    AppLogs logs = new AppLogs(1 << 20, 2);
    AppLog first = logs.open("ap-1", "squares", "main");
    AppLog second = logs.open("ap-2", "squares", "main");
    logs.open("ap-3", "squares", "staging");
    assertThat(logs.find("squares", "main")).isSameAs(second);
    assertThat(logs.find("ap-1", "main")).isSameAs(first);

    logs.stopped(first);
    logs.stopped(second);
    logs.stopped(logs.open("ap-4", "other", "main"));
    assertThatThrownBy(() -> logs.find("ap-1", "main")).isInstanceOfSatisfying(CoreException.class,
            e -> assertThat(e.kind()).isEqualTo(CoreException.Kind.NOT_FOUND))
        .hasMessageContaining("no logs of an app named or with id 'ap-1'");
    assertThat(logs.find("squares", "main")).isSameAs(second);
  }
}
