package dev.shoal.internal.cli;

import dev.shoal.internal.client.AppRegistry;
import dev.shoal.internal.client.RegisteredApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM {@code shoal deploy} starts, with the user's classes on its classpath: it initialises the class, which
 * defines its apps, and deploys each. It writes "app TAB version" lines to the file it is given, and exits with
 * the CLI's exit codes.
 */
public final class DeployMain {
  private DeployMain() {}

  public static void main(String[] args) {
    int exit;
    try {
      deploy(args[0], Path.of(args[1]));
      exit = ExitCodes.OK;
    } catch (Throwable e) {
      System.err.println("shoal: " + ExitCodes.message(e));
      if (ShoalCli.debug()) {
        e.printStackTrace();
      }
      exit = ExitCodes.of(e);
    }
    System.exit(exit);
  }

  private static void deploy(String className, Path results) throws Exception {
    Class<?> appClass;
    try {
      appClass = Class.forName(className, true, DeployMain.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw CliException.notFound("class " + className + " is not on the classpath; give the directory or jar"
          + " that holds it with --classpath");
    } catch (ExceptionInInitializerError e) {
      throw CliException.failed("the static initialiser of " + className + " failed: "
          + ExitCodes.message(e.getCause()));
    }
    List<RegisteredApp> apps = AppRegistry.definedBy(appClass);
    if (apps.isEmpty()) {
      throw CliException.failed(className + " defines no app: define one in a static field of that class, e.g."
          + " static final App app = App.named(\"my-app\");");
    }
    List<String> lines = new ArrayList<>();
    for (RegisteredApp app : apps) {
      lines.add(app.name() + "\t" + app.deploy());
    }
    Files.write(results, lines, StandardCharsets.UTF_8);
  }
}
