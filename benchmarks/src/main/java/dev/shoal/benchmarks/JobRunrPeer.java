package dev.shoal.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.configuration.JobRunrConfiguration.JobRunrConfigurationResult;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * JobRunr, the JVM's best-known background-job library, given the same trivial work: enqueue N jobs and wait
 * until all have run. It runs in a JVM of its own, so its threads, its static configuration and whatever it prints
 * on this JDK stay out of the other scenarios; what it prints is kept in the figure's details.
 *
 * <p>Tuned for throughput: the shortest poll interval each storage accepts (200 ms in memory, where the
 * {@code pollIntervalInSeconds} setting cannot go below 1 s; 5 s on PostgreSQL, behind a HikariCP pool). Each poll takes at most as many enqueued jobs as there
 * are workers, so for trivial jobs the worker count sets the pace: on two cores 4 workers ran about 115 jobs/s,
 * 32 about 540 and 256 about 1,050, while 1,024 and 4,096 gained nothing (the README has the figures).
 */
public final class JobRunrPeer {
  static final int WORKERS = 256;
  static final Duration POLL_INTERVAL = Duration.ofMillis(200);
  /** JobRunr refuses a shorter poll interval for SQL storage. */
  static final Duration SQL_POLL_INTERVAL = Duration.ofSeconds(5);

  /** Arguments of the jobs that ran, so that a job run twice (JobRunr retries on conflicts) is counted once. */
  private static final Set<Integer> ran = ConcurrentHashMap.newKeySet();
  private static final AtomicLong ranAgain = new AtomicLong();
  /** The PostgreSQL of the postgres storage, stopped before the JVM exits. */
  private static EmbeddedPostgres postgres;

  private JobRunrPeer() {}

  /** Jobs per second, enqueue to the last job's completion, with JobRunr's in-memory storage. */
  public static Figure throughput(Sizes sizes) throws Exception {
    return throughput(sizes.jobRunrJobs(), "memory", sizes);
  }

  /**
   * Jobs per second on PostgreSQL (an embedded one started in JobRunr's JVM, synchronous commit on as in Shoal's
   * server), as many jobs as Shoal's durable-spawn scenario spawns.
   */
  public static Figure throughputOnPostgres(Sizes sizes) throws Exception {
    return throughput(sizes.spawns(), "postgres", sizes);
  }

  private static Figure throughput(int jobs, String storage, Sizes sizes) throws Exception {
    int warmJobs = Math.max(100, jobs / 10);
    try (ChildJvm child = ChildJvm.start(JobRunrPeer.class, List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
        List.of(Integer.toString(jobs), Integer.toString(warmJobs), storage))) {
      Map<String, Object> result = child.awaitResult(Duration.ofSeconds(sizes.scenarioTimeoutSeconds()));
      Map<String, Object> details = new LinkedHashMap<>(result);
      details.put("output", child.chatter());
      return Figure.of(((Number) result.get("jobsPerSecond")).doubleValue(), details);
    }
  }

  /** The job. Public and static, as JobRunr finds it by name when it runs the job. */
  public static void run(int x) {
    if (!ran.add(x)) {
      ranAgain.incrementAndGet();
    }
  }

  /** The child JVM: {@code jobs warmJobs memory|postgres [workers]}. */
  public static void main(String[] args) throws Exception {
    ChildJvm.Child.exitWithParent();
    int jobs = Integer.parseInt(args[0]);
    int warmJobs = Integer.parseInt(args[1]);
    String storage = args[2];
    int workers = args.length > 3 ? Integer.parseInt(args[3]) : WORKERS;
    Duration pollInterval = storage.equals("memory") ? POLL_INTERVAL : SQL_POLL_INTERVAL;
    StorageProvider provider = switch (storage) {
      case "memory" -> new InMemoryStorageProvider();
      case "postgres" -> postgres(workers);
      default -> throw new IllegalArgumentException("unknown storage '" + storage + "': memory or postgres");
    };
    JobRunrConfigurationResult jobRunr = JobRunr.configure()
        .useJsonMapper(new JacksonJsonMapper())
        .useStorageProvider(provider)
        .useBackgroundJobServer(BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
            .andWorkerCount(workers)
            .andPollInterval(pollInterval))
        .initialize();
    JobScheduler scheduler = jobRunr.getJobScheduler();

    runAll(scheduler, 0, warmJobs);
    long start = System.nanoTime();
    runAll(scheduler, warmJobs, jobs);
    double seconds = (System.nanoTime() - start) / 1e9;

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("jobsPerSecond", jobs / seconds);
    result.put("jobs", jobs);
    result.put("seconds", seconds);
    result.put("jobsRunTwice", ranAgain.get());
    result.put("workers", workers);
    result.put("pollIntervalMs", pollInterval.toMillis());
    result.put("storage", provider.getClass().getSimpleName());
    if (postgres != null) {
      // Before the result goes out: the parent may end this JVM as soon as it has it, and a PostgreSQL that is
      // not stopped outlives it. JobRunr first, or at exit it would wait for the stopped database.
      JobRunr.destroy();
      postgres.close();
    }
    ChildJvm.Child.report(result);
    System.exit(0);
  }

  /** An embedded PostgreSQL in a fresh directory, deleted when the JVM exits, behind a connection pool. */
  private static StorageProvider postgres(int workers) throws IOException {
    Path dir = Files.createTempDirectory("jobrunr-postgres");
    postgres = EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setServerConfig("synchronous_commit", "on")
        .start();
    HikariConfig pool = new HikariConfig();
    pool.setDataSource(postgres.getPostgresDatabase());
    pool.setMaximumPoolSize(Math.min(workers, 32));
    return new PostgresStorageProvider(new HikariDataSource(pool));
  }

  /** Enqueues jobs {@code from .. from + count - 1} and waits until each has run. */
  private static void runAll(JobScheduler scheduler, int from, int count) throws InterruptedException {
    // The stream form saves the jobs in batches, JobRunr's fastest way to enqueue many.
    scheduler.enqueue(IntStream.range(from, from + count).boxed(), x -> run(x));
    while (ran.size() < from + count) {
      Thread.sleep(1);
    }
  }
}
