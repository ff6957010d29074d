package dev.shoal.internal.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedDashboardTest {
  private final List<FakeServed> served = new ArrayList<>();
  private final List<String> printed = new ArrayList<>();
  private int tokens;
  private final EmbeddedDashboard dashboard = new EmbeddedDashboard(token -> {
    FakeServed s = new FakeServed("http://127.0.0.1:" + (7000 + served.size()) + "/");
    served.add(s);
    return s;
  }, () -> "token-" + ++tokens, printed::add);

  @Test
  void theDashboardClosesWhenTheLastRunUsingItEnds() {
    Runnable first = dashboard.openForRun(false);
    Runnable second = dashboard.openForRun(false);
    assertThat(served).hasSize(1);

    first.run();
    first.run();
    assertThat(served.get(0).closed).as("another run still uses it").isFalse();
    second.run();
    assertThat(served.get(0).closed).isTrue();
    assertThat(dashboard.isServed()).isFalse();
    assertThat(dashboard.token()).isEmpty();
  }

  @Test
  void aLaterRunGetsANewDashboardWithANewToken() {
    dashboard.openForRun(false).run();
    dashboard.openForRun(false);
    assertThat(served).hasSize(2);
    assertThat(dashboard.token()).contains("token-2");
    assertThat(printed).hasSize(2).allMatch(line -> line.contains("this link logs in once"));
  }

  @Test
  void aKeptDashboardStaysOpenAfterTheRunAndSaysHowToCloseIt() throws InterruptedException {
    dashboard.openForRun(true).run();
    assertThat(served.get(0).closed).isFalse();
    assertThat(printed).last().asString()
        .isEqualTo("the run has ended; the dashboard stays open at http://127.0.0.1:7000/ until you press Ctrl-C"
            + " (or the JVM is stopped)");
    Thread keeper = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("shoal-dashboard-kept")).findFirst().orElseThrow();
    assertThat(keeper.isDaemon()).as("it is what keeps the JVM alive").isFalse();

    dashboard.close();
    assertThat(served.get(0).closed).isTrue();
    keeper.join(60_000);
    assertThat(keeper.isAlive()).isFalse();
  }

  @Test
  void aDashboardServedOutsideARunStaysUntilTheEngineCloses() {
    dashboard.serve();
    dashboard.openForRun(false).run();
    assertThat(served.get(0).closed).isFalse();
    dashboard.close();
    assertThat(served.get(0).closed).isTrue();
  }

  private static final class FakeServed implements DashboardProvider.Served {
    private final String url;
    boolean closed;

    FakeServed(String url) {
      this.url = url;
    }

    @Override
    public String url() {
      return url;
    }

    @Override
    public String newLoginUrl() {
      return url + "?login=code";
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
