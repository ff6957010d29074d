package dev.shoal.internal.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code shoal completion bash|zsh}: the shell completion script of every command and option, made by picocli from
 * the commands themselves, so it never lags behind them.
 */
@Command(name = "completion",
    description = {
        "Print the shell completion script for bash or zsh.",
        "Load it in the current shell with `source <(shoal completion bash)`, or for",
        "every shell from ~/.bashrc or ~/.zshrc."})
final class CompletionCommand implements Callable<Integer> {
  /** The shells the script is for; zsh runs bash's script through its bashcompinit. */
  enum Shell { bash, zsh }

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh")
  Shell shell;

  @Override
  public Integer call() {
    String script = AutoComplete.bash("shoal", spec.root().commandLine());
    if (shell == Shell.zsh) {
      System.out.println("autoload -U +X compinit && compinit");
      System.out.println("autoload -U +X bashcompinit && bashcompinit");
    }
    System.out.print(script);
    System.out.flush();
    return ExitCodes.OK;
  }
}
