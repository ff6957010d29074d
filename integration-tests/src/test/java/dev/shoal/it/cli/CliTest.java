package dev.shoal.it.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shoal.it.dashboard.Browser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The {@code shoal} command end to end: each command runs in a JVM of its own, as from a shell, against the
 * embedded engine or a {@code shoal server} that the class starts once.
 */
class CliTest {
  private static final Pattern LISTENING = Pattern.compile("Shoal server listening on (\\S+)");
  private static final Pattern TOKEN_FILE = Pattern.compile("--token-file (\\S+)");

  @TempDir
  static Path temp;

  private static Process server;
  private static String address;
  private static String token;
  /** A client whose active profile is the server started here. */
  private static Cli serverClient;

  @BeforeAll
  static void startServer() throws Exception {
    Path home = Files.createDirectories(temp.resolve("server-home"));
    Path out = temp.resolve("server.out");
    Path err = temp.resolve("server.err");
    Path dataDir = temp.resolve("server-data");
    server = new Cli(home.resolve("config.toml"), home)
        .start(out, err, "server", "--port", "0", "--data-dir", dataDir.toString());
    await().atMost(Duration.ofSeconds(60))
        .failFast("the server exited", () -> !server.isAlive())
        .until(() -> TOKEN_FILE.matcher(Files.readString(out)).find());
    String printed = Files.readString(out);
    Matcher listening = LISTENING.matcher(printed);
    assertThat(listening.find()).as("server output:\n%s", printed).isTrue();
    assertThat(printed.lines().filter(l -> l.startsWith("Shoal server listening on "))).hasSize(1);
    address = listening.group(1);
    Matcher printedTokenFile = TOKEN_FILE.matcher(printed);
    assertThat(printedTokenFile.find()).isTrue();
    // At first start the server says where its token is, and never prints the token itself.
    assertThat(printedTokenFile.group(1)).isEqualTo(dataDir.resolve("token").toString());
    token = Files.readString(dataDir.resolve("token")).strip();
    assertThat(printed).doesNotContain(token);
    assertThat(Files.readString(err)).doesNotContain(token);
    serverClient = client("server-client");
    serverClient.run("profile", "add", "local", "--server", address, "--token-file", printedTokenFile.group(1),
        "--activate").assertExit(0);
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    if (server != null) {
      List<ProcessHandle> postgres = server.descendants().toList();
      server.destroy(); // SIGTERM: its shutdown hook closes the server and its PostgreSQL
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
        server.waitFor();
      }
      // Only if the server could not close it: a PostgreSQL outlives a killed JVM.
      postgres.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static Cli client(String name) throws IOException {
    Path home = Files.createDirectories(temp.resolve(name));
    return new Cli(home.resolve(".shoal").resolve("config.toml"), home);
  }

  @Test
  void versionAndHelp() throws Exception {
    Cli cli = client("version");
    Cli.Result version = cli.run("--version").assertExit(0);
    assertThat(version.out()).startsWith("shoal 0.1.0-SNAPSHOT")
        .contains("Java " + Runtime.version().feature())
        .contains(System.getProperty("java.vendor"));
    assertThat(cli.run("--help").assertExit(0).out())
        .contains("Exit codes:", "unauthenticated", "profile", "doctor", "run", "deploy", "app", "call", "server");
    assertThat(cli.run("no-such-command").assertExit(2).err()).contains("shoal --help");
    // The exit codes and configuration notes are on the top page only.
    assertThat(cli.run("volume", "--help").assertExit(0).out()).doesNotContain("Exit codes:")
        .contains("Exit codes and configuration: `shoal --help`.");
    assertThat(cli.run("completion", "bash").assertExit(0).out()).contains("complete -F _complete_shoal");
  }

  @Test
  void profilesAddListActivateAndCurrent() throws Exception {
    Cli cli = client("profiles");
    cli.run("profile", "add", "work", "--server", "work.example:7700", "--token", "t1").assertExit(0);
    cli.run("profile", "add", "lab", "--server", "lab.example:7701", "--token", "t2", "--environment", "staging",
        "--activate").assertExit(0);

    assertThat(cli.run("profile", "list", "--json").assertExit(0).out())
        .contains("{\"name\":\"work\",\"active\":false,\"server\":\"work.example:7700\",\"environment\":\"main\"")
        .contains("{\"name\":\"lab\",\"active\":true,\"server\":\"lab.example:7701\",\"environment\":\"staging\"");
    assertThat(cli.run("profile", "list").assertExit(0).out()).containsPattern("\\*\\s+lab\\s+lab.example:7701");

    cli.run("profile", "activate", "work").assertExit(0);
    assertThat(cli.run("profile", "current", "--json").assertExit(0).out())
        .contains("\"profile\":\"work\"", "\"server\":\"work.example:7700\"", "\"overrides\":{}");
    // A variable overrides the file, and `current` says so.
    assertThat(cli.run(Map.of("SHOAL_SERVER", "other.example:1"), "profile", "current").assertExit(0).out())
        .containsPattern("profile\\s+work\\s")
        .containsPattern("server\\s+other.example:1\\s+\\(from SHOAL_SERVER\\)")
        .containsPattern("environment\\s+main");

    assertThat(cli.run("profile", "activate", "nope").assertExit(3).err()).contains("no profile named 'nope'");
    assertThat(cli.run("profile", "add", "bad", "--server", "no-port").assertExit(2).err()).contains("HOST:PORT");
  }

  @Test
  void doctorOnTheEmbeddedEngine() throws Exception {
    Cli.Result doctor = client("doctor-embedded").run("doctor").assertExit(0);
    List<String> lines = doctor.out().lines().toList();
    assertThat(lines).hasSize(5).allSatisfy(line -> assertThat(line).startsWith("ok "));
    assertThat(doctor.out()).contains("embedded engine", "returned 42");
  }

  @Test
  void doctorAgainstTheServer() throws Exception {
    Cli.Result doctor = serverClient.run("doctor", "--json").assertExit(0);
    assertThat(doctor.out()).startsWith("{\"ok\":true,")
        .contains("accepted the token", "server " + address)
        .doesNotContain("\"status\":\"fail\"", "\"status\":\"skip\"");
  }

  @Test
  void runSpawnsCallsThatAnotherProcessGets() throws Exception {
    Path testClasses = Path.of(CliJobApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Cli.Result run = serverClient.run("run", "--class", CliJobApp.class.getName(), "--classpath",
        testClasses.toString(), "6").assertExit(0);
    String call = line(run.out(), "CALL ");
    String failing = line(run.out(), "FAILING ");

    assertThat(serverClient.run("call", "status", call).assertExit(0).out().strip()).isEqualTo("succeeded");
    assertThat(serverClient.run("call", "get", call).assertExit(0).out().strip()).isEqualTo("36");
    assertThat(serverClient.run("call", "get", call, "--timeout", "5s", "--json").assertExit(0).out().strip())
        .isEqualTo("{\"id\":\"" + call + "\",\"status\":\"succeeded\",\"result\":36,"
            + "\"resultType\":\"java.lang.Integer\"}");

    assertThat(serverClient.run("call", "get", failing).assertExit(1).err())
        .contains("java.lang.IllegalStateException", "no luck with -6");
    assertThat(serverClient.run("call", "status", failing, "--json").assertExit(0).out())
        .contains("\"status\":\"failed\"", "\"done\":true");

    assertThat(serverClient.run("call", "get", "fc-NoSuchCall").assertExit(3).err()).contains("fc-NoSuchCall");

    String map = line(run.out(), "MAP ");
    assertThat(serverClient.run("call", "results", map).assertExit(0).out().strip().split("\n")).containsExactly(
        "{\"index\":0,\"status\":\"succeeded\",\"result\":36,\"resultType\":\"java.lang.Integer\"}",
        "{\"index\":1,\"status\":\"failed\",\"error\":{\"type\":\"java.lang.IllegalStateException\","
            + "\"message\":\"no luck with -6\"}}",
        "{\"index\":2,\"status\":\"succeeded\",\"result\":144,\"resultType\":\"java.lang.Integer\"}");
    assertThat(serverClient.run("call", "results", map, "--unordered").assertExit(0).out().strip().split("\n"))
        .containsExactlyInAnyOrder(
            "{\"index\":0,\"status\":\"succeeded\",\"result\":36,\"resultType\":\"java.lang.Integer\"}",
            "{\"index\":1,\"status\":\"failed\",\"error\":{\"type\":\"java.lang.IllegalStateException\","
                + "\"message\":\"no luck with -6\"}}",
            "{\"index\":2,\"status\":\"succeeded\",\"result\":144,\"resultType\":\"java.lang.Integer\"}");
  }

  @Test
  void deployListAndStop() throws Exception {
    Cli.Result deploy = serverClient.run("deploy", "--class", CliDeployApp.class.getName(), "--json").assertExit(0);
    assertThat(deploy.out()).containsPattern("\\[\\{\"app\":\"cli-deployed\",\"version\":\\d+}]");

    assertThat(serverClient.run("app", "list").assertExit(0).out())
        .containsPattern("ap-\\S+\\s+cli-deployed\\s+deployed\\s+\\d+\\s+\\S+ \\S+\\s+twice");

    assertThat(serverClient.run("app", "stop", "cli-deployed").assertExit(0).out()).contains("Stopped app cli-deployed");
    // Without --all, the list shows active apps only.
    assertThat(serverClient.run("app", "list", "--json").assertExit(0).out()).doesNotContain("cli-deployed");
    assertThat(serverClient.run("app", "list", "--all", "--json").assertExit(0).out())
        .containsPattern("\\{\"id\":\"ap-[^\"]+\",\"name\":\"cli-deployed\",\"state\":\"stopped\",\"version\":\\d+,"
            + "\"current\":false,\"createdAt\":\"[^\"]+\",\"functions\":\\[\"twice\"]}");
    serverClient.run("app", "stop", "cli-deployed").assertExit(3);
  }

  @Test
  void callsADeployedFunctionWithJsonArguments() throws Exception {
    serverClient.run("deploy", "--class", CliCallApp.class.getName()).assertExit(0);

    assertThat(serverClient.run("call", "cli-call", "twice", "21").assertExit(0).out().strip()).isEqualTo("42");
    assertThat(serverClient.run("call", "cli-call", "add", "2", "40").assertExit(0).out().strip()).isEqualTo("42");
    assertThat(serverClient.run("call", "cli-call", "describe", "[1,2]").assertExit(0).out().strip())
        .isEqualTo("ArrayList [1, 2]");
    assertThat(serverClient.run("call", "cli-call", "describe", "{\"k\":\"v\"}").assertExit(0).out().strip())
        .isEqualTo("LinkedHashMap {k=v}");
    assertThat(serverClient.run("call", "cli-call", "describe", "hello").assertExit(0).out().strip())
        .isEqualTo("String hello");
    assertThat(serverClient.run("call", "cli-call", "twice", "21", "--json").assertExit(0).out())
        .contains("{\"app\":\"cli-call\",\"function\":\"twice\",\"status\":\"succeeded\",\"result\":42,"
            + "\"resultType\":\"java.lang.Integer\"}");

    String id = serverClient.run("call", "cli-call", "twice", "5", "--spawn").assertExit(0).out().strip();
    assertThat(id).startsWith("fc-");
    assertThat(serverClient.run("call", "get", id).assertExit(0).out().strip()).isEqualTo("10");

    assertThat(serverClient.run("call", "cli-call", "twice", "\"x\"").assertExit(1).err())
        .contains("ClassCastException");
    assertThat(serverClient.run("call", "cli-call", "nope", "1").assertExit(3).err()).contains("has no function 'nope'");
    assertThat(serverClient.run("call", "cli-call", "twice").assertExit(2).err()).contains("1 to 3 arguments");
  }

  @Test
  void aRedeployedAppIsListedOnceAndRollsBackToAnOlderVersion() throws Exception {
    for (int i = 0; i < 2; i++) {
      serverClient.run("deploy", "--class", CliVersionsApp.class.getName()).assertExit(0);
    }

    String listed = serverClient.run("app", "list").assertExit(0).out();
    assertThat(listed.lines().filter(line -> line.contains("cli-versions"))).as("one row, the current version")
        .singleElement().asString().containsPattern("cli-versions\\s+deployed\\s+2\\s");
    assertThat(serverClient.run("app", "history", "cli-versions").assertExit(0).out())
        .containsPattern("2\\s+ap-\\S+\\s+deployed \\(current\\)")
        .containsPattern("1\\s+ap-\\S+\\s+superseded");

    assertThat(serverClient.run("app", "rollback", "cli-versions", "--json").assertExit(0).out())
        .containsPattern("\\{\"name\":\"cli-versions\",\"id\":\"ap-[^\"]+\",\"version\":3,\"fromVersion\":1}");
    assertThat(serverClient.run("app", "history", "cli-versions", "--json").assertExit(0).out())
        .containsPattern("\\{\"version\":3,\"id\":\"ap-[^\"]+\",\"state\":\"deployed\",\"current\":true");
    assertThat(serverClient.run("app", "rollback", "cli-versions", "9").assertExit(3).err())
        .contains("app 'cli-versions' has no version 9; it has [1, 2, 3]");
    assertThat(serverClient.run("app", "history", "no-such-app").assertExit(3).err())
        .contains("no deployed app named 'no-such-app'");

    // The dashboard marks the current version, and its page shows one section for the app with the older
    // versions listed in it.
    String dashboard = line(Files.readString(temp.resolve("server.out")), "Shoal dashboard on ");
    String apps = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dashboard + "api/apps"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
    Map<Integer, Boolean> currentByVersion = new java.util.TreeMap<>();
    for (var app : new com.fasterxml.jackson.databind.ObjectMapper().readTree(apps)) {
      if (app.get("name").asText().equals("cli-versions")) {
        currentByVersion.put(app.get("version").asInt(), app.get("current").asBoolean());
      }
    }
    assertThat(currentByVersion)
        .containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(1, false, 2, false, 3, true)));
    if (Browser.installed()) {
      ChromeDriver browser = Browser.start(Files.createDirectories(temp.resolve("versions-browser")));
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        browser.get(dashboard);
        wait.until(d -> d.findElement(By.id("needs-login")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("login")).click();
        List<String> sections = wait.ignoring(StaleElementReferenceException.class).until(d -> {
          List<String> named = d.findElements(By.cssSelector("section.app h2")).stream().map(e -> e.getText())
              .filter(t -> t.startsWith("cli-versions")).toList();
          return named.isEmpty() ? null : named;
        });
        assertThat(sections).as("one section per app name").hasSize(1);
        String earlier = wait.ignoring(StaleElementReferenceException.class)
            .until(d -> d.findElement(By.xpath("//section[h2/a[text()='cli-versions']]//p[@class='earlier-versions']"))
                .getText());
        assertThat(earlier).contains("version 2", "version 1");
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void appLogsShowsWhatARunsContainersPrintedAfterTheRun() throws Exception {
    Path testClasses = Path.of(CliLogsApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Cli.Result run = serverClient.run("run", "--class", CliLogsApp.class.getName(), "--classpath",
        testClasses.toString(), "1", "2").assertExit(0);
    String second = line(run.out(), "CALL 2 ");

    String logs = serverClient.run("app", "logs", "cli-logs").assertExit(0).out();
    assertThat(logs)
        .containsPattern("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} \\[shout ct-\\w{6} fc-\\w+] hello from the container 1")
        .containsPattern("\\[shout ct-\\w{6} " + second + "] hello from the container 2")
        .containsPattern("\\[shout ct-\\w{6}] container started in \\d+ ms")
        .containsPattern("\\[shout ct-\\w{6}] container stopped");

    // Filters, and JSON for scripts; the run has stopped, so -f ends once the log is read.
    String call = serverClient.run("app", "logs", "cli-logs", "--call", second, "--json", "-f").assertExit(0).out();
    assertThat(call.lines()).isNotEmpty().allSatisfy(l -> assertThat(l).contains("\"call\":\"" + second + "\""));
    assertThat(call).containsPattern("\\{\"seq\":\\d+,\"time\":\"[^\"]+\",\"source\":\"stdout\",\"function\":\"shout\","
        + "\"container\":\"ct-\\w+\",\"input\":\"" + second + "\",\"call\":\"" + second + "\","
        + "\"text\":\"hello from the container 2\"}");
    assertThat(serverClient.run("app", "logs", "cli-logs", "--function", "other").assertExit(0).out()).isBlank();
    assertThat(serverClient.run("app", "logs", "cli-logs", "--since", "1h").assertExit(0).out())
        .contains("hello from the container 1");

    // The engine's words in the CLI's style, without gRPC's status name.
    String notFound = serverClient.run("app", "logs", "no-such-app").assertExit(3).err();
    assertThat(notFound).startsWith("shoal: ").contains("no-such-app").doesNotContain("NOT_FOUND");
  }

  @Test
  void aWrongTokenOrNoServerExitsWith4AndSaysWhatToDo() throws Exception {
    Cli.Result wrongToken = serverClient.run(Map.of("SHOAL_TOKEN", "not-the-token"), "app", "list").assertExit(4);
    assertThat(wrongToken.err()).contains("SHOAL_TOKEN", "shoal profile add");

    Cli.Result unreachable = serverClient.run(Map.of("SHOAL_SERVER", "127.0.0.1:1"), "app", "list").assertExit(4);
    assertThat(unreachable.err()).contains("cannot reach the Shoal server at 127.0.0.1:1", "shoal server");
  }

  @Test
  void serverDashboardNeedsTheTokenToReadAndShoalDashboardPrintsItsAddress() throws Exception {
    String dashboard = line(Files.readString(temp.resolve("server.out")), "Shoal dashboard on ");
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("api/apps", "metrics")) {
      HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(dashboard + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as(path).isEqualTo(401);
      HttpResponse<String> answered = http.send(HttpRequest.newBuilder(URI.create(dashboard + path))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answered.statusCode()).as(path).isEqualTo(200);
    }

    Cli cli = client("dashboard");
    assertThat(cli.run(Map.of("SHOAL_SERVER", "shoal.example:7700"), "dashboard").assertExit(0).out().strip())
        .isEqualTo("http://shoal.example:7701/");
    assertThat(cli.run(Map.of("SHOAL_DASHBOARD_URL", dashboard), "dashboard").assertExit(0).out().strip())
        .isEqualTo(dashboard);
    assertThat(cli.run("dashboard").assertExit(3).err()).contains("no server is configured", "SHOAL_DASHBOARD=1");
  }

  @Test
  void serverDashboardPageAsksForTheTokenThenShowsApps() throws Exception {
    assumeTrue(Browser.installed(), "Chromium and chromedriver are not installed in /usr/bin");
    String dashboard = line(Files.readString(temp.resolve("server.out")), "Shoal dashboard on ");
    ChromeDriver browser = Browser.start(Files.createDirectories(temp.resolve("browser")));
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
      browser.get(dashboard);
      wait.until(d -> d.findElement(By.id("needs-login")).isDisplayed());
      assertThat(browser.getPageSource()).doesNotContain(token);
      browser.findElement(By.id("token")).sendKeys(token);
      browser.findElement(By.id("login")).click();
      wait.until(d -> d.findElement(By.id("logged-in")).isDisplayed());
      wait.ignoring(StaleElementReferenceException.class)
          .until(d -> d.findElement(By.id("view")).getText().startsWith("Apps"));
      assertThat(browser.getPageSource()).doesNotContain(token);
      assertThat(browser.manage().getCookieNamed("shoal_session").isHttpOnly()).isTrue();
    } finally {
      browser.quit();
    }
  }

  /** The launcher script at the repository root, when the CLI module is built: no JDK warnings on the terminal. */
  @Test
  void launcherRunsTheCliWithoutJdkWarnings() throws Exception {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    Path launcher = root.resolve("shoal");
    assumeTrue(Files.isExecutable(launcher) && Files.isRegularFile(root.resolve("cli/target/client-classpath.txt")),
        "the CLI module is not built");
    Path home = Files.createDirectories(temp.resolve("launcher"));
    Path cache = home.resolve("cache");
    // --version twice: the first run records its class-data archive (named after the option, `version-…`), the
    // second starts from it.
    for (String[] args : new String[][] {{"--version"}, {"--version"}, {"doctor"}}) {
      launch(launcher, home, args);
    }
    // The launcher archives only a packaged CLI (the JVM archives classes from jars), as `verify` builds it.
    Optional<Path> jar = cliJar(root);
    if (jar.isPresent() && !classesNewerThan(root.resolve("cli/target/classes"), jar.get())) {
      try (var archives = Files.list(cache.resolve("cli-class-data"))) {
        assertThat(archives.map(p -> p.getFileName().toString()))
            .anyMatch(name -> name.startsWith("version-") && name.endsWith(".jsa"))
            .anyMatch(name -> name.startsWith("doctor-") && name.endsWith(".jsa"));
      }
    }
  }

  /**
   * A short command's launch, once decided (the JDK, the classpath, the class-data archive), is written in the CLI
   * cache and replayed; a launch older than a file it was decided from, as after a rebuild, is decided again.
   */
  @Test
  void launcherReplaysACommandsLaunchUntilAFileItWasDecidedFromChanges() throws Exception {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    Path launcher = root.resolve("shoal");
    Optional<Path> jar = cliJar(root);
    // The launcher writes down only launches with an archive, which it makes from a packaged CLI, as `verify` builds.
    assumeTrue(Files.isExecutable(launcher) && jar.isPresent()
        && !classesNewerThan(root.resolve("cli/target/classes"), jar.get()), "the CLI module is not packaged");
    Path home = Files.createDirectories(temp.resolve("launcher-replay"));
    String version = launch(launcher, home, "--version");
    Path launch;
    try (var written = Files.list(home.resolve("cache/cli-launch"))) {
      launch = written.filter(p -> p.getFileName().toString().startsWith("version-")).findFirst().orElseThrow();
    }
    FileTime decided = Files.getLastModifiedTime(launch);

    assertThat(launch(launcher, home, "--version")).isEqualTo(version);
    assertThat(Files.getLastModifiedTime(launch)).as("replayed, not decided again").isEqualTo(decided);

    Files.setLastModifiedTime(launch, FileTime.fromMillis(0));
    assertThat(launch(launcher, home, "--version")).isEqualTo(version);
    assertThat(Files.getLastModifiedTime(launch)).as("decided again").isGreaterThan(FileTime.fromMillis(0));
  }

  /** Runs the launcher with a configuration and CLI cache in {@code home}; what it printed, which must be all fine. */
  private static String launch(Path launcher, Path home, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("SHOAL_"));
    builder.environment().put("SHOAL_CONFIG", home.resolve("config.toml").toString());
    builder.environment().put("SHOAL_CACHE_DIR", home.resolve("cache").toString());
    builder.redirectOutput(home.resolve("out.txt").toFile()).redirectError(home.resolve("err.txt").toFile());
    Process p = builder.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(home.resolve("out.txt"));
    String err = Files.readString(home.resolve("err.txt"));
    assertThat(p.exitValue()).as("`shoal %s` printed:\n%s\n%s", args[0], out, err).isZero();
    assertThat(err).as("stderr of `shoal %s`", args[0]).doesNotContain("WARNING", "SLF4J").isBlank();
    return out;
  }

  private static Optional<Path> cliJar(Path root) throws IOException {
    try (var built = Files.list(root.resolve("cli/target"))) {
      return built.filter(p -> p.getFileName().toString().matches("shoal-cli-.*(?<!-sources|-javadoc)\\.jar"))
          .findFirst();
    }
  }

  private static boolean classesNewerThan(Path classes, Path jar) throws IOException {
    java.nio.file.attribute.FileTime built = Files.getLastModifiedTime(jar);
    try (var files = Files.walk(classes)) {
      return files.filter(Files::isRegularFile).anyMatch(f -> {
        try {
          return Files.getLastModifiedTime(f).compareTo(built) > 0;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    }
  }

  private static String line(String output, String prefix) {
    return output.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).strip())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + output));
  }
}
