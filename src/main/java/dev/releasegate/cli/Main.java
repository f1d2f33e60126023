package dev.releasegate.cli;

import dev.releasegate.api.Releasegate;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code releasegate}: the command line. Exit codes and advice are decided here and only here. */
@Command(
    name = "releasegate",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Gated, signed container releases with evidence an auditor can verify offline.",
    subcommands = {
      ReleaseCommand.class,
      CheckCommand.class,
      VerifyEvidenceCommand.class,
      VerifyImageCommand.class,
      PromoteCommand.class,
      HistoryCommand.class,
      RollbackCommand.class,
      KeygenCommand.class,
      ReportCommand.class,
      StagesCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:released / verified",
      "1:a gate rejected the release, or a verification failed",
      "2:invalid input (usage, pipeline file, key file, bundle layout)",
      "3:environment or infrastructure failure (registry, tool or runtime missing)"
    })
public final class Main implements Callable<Integer> {
  public static final int RELEASED = 0;
  public static final int REJECTED = 1;
  public static final int INVALID_INPUT = 2;
  public static final int ENVIRONMENT = 3;

  @Option(names = "--stacktrace", scope = ScopeType.INHERIT, description = "Print stack traces of failures.")
  boolean stacktrace;

  @Option(names = "--plugins", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "A folder of stage plug-in jars to load (default: $" + Plugins.VARIABLE + ").")
  Path plugins;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** sigstore-java logs progress at INFO to stderr through java.util.logging; the CLI shows its own. */
  private static final java.util.logging.Logger SIGSTORE_LOG = java.util.logging.Logger.getLogger("dev.sigstore");

  public static void main(String[] args) {
    SIGSTORE_LOG.setLevel(java.util.logging.Level.WARNING);
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code; never calls {@code System.exit}. */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    // "completion" rather than picocli's hidden "generate-completion": a command users are told about.
    commandLine.addSubcommand("completion", new CommandLine(new picocli.AutoComplete.GenerateCompletion()));
    commandLine.getSubcommands().get("completion").getCommandSpec().usageMessage().hidden(false)
        .description("Print a bash/zsh completion script: source <(releasegate completion)");
    if (!Terminals.colorsAllowed(System.getenv())) {
      commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    }
    commandLine.setOut(TerminalWriter.of(System.out));
    commandLine.setErr(TerminalWriter.of(System.err));
    commandLine.setExecutionExceptionHandler(Main::handle);
    commandLine.setExecutionStrategy(Main::withPlugins);
    commandLine.setParameterExceptionHandler((ex, arguments) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("releasegate: " + ex.getMessage());
      if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
        CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, err);
      }
      err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
      return INVALID_INPUT;
    });
    try {
      return commandLine.execute(args);
    } finally {
      commandLine.getOut().flush();
      commandLine.getErr().flush();
    }
  }

  /** No command: the usage, and exit 2, so that a script that forgot its command does not pass. */
  @Override
  public Integer call() {
    spec.commandLine().getErr().println("releasegate: no command given");
    spec.commandLine().usage(spec.commandLine().getErr());
    return INVALID_INPUT;
  }

  /** Runs the command with the plug-ins of --plugins (or the variable) on the context class loader. */
  private static int withPlugins(CommandLine.ParseResult parseResult) {
    Optional<Path> folder = Optional.empty();
    for (CommandLine.ParseResult level = parseResult; level != null; level = level.subcommand()) {
      if (level.hasMatchedOption("--plugins")) {
        folder = Optional.of(level.matchedOptionValue("--plugins", (Path) null));
      }
    }
    folder = folder.or(() -> Optional.ofNullable(System.getenv(Plugins.VARIABLE)).filter(value -> !value.isEmpty()).map(Path::of));
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    if (folder.isPresent()) {
      try {
        Thread.currentThread().setContextClassLoader(Plugins.loader(folder.get()));
      } catch (InvalidInputException e) {
        parseResult.commandSpec().commandLine().getErr().println("releasegate: " + e.getMessage());
        return INVALID_INPUT;
      }
    }
    try {
      return new CommandLine.RunLast().execute(parseResult);
    } finally {
      // Main.run may be called again in the same thread (tests, embedders): its plug-ins are this run's.
      Thread.currentThread().setContextClassLoader(before);
    }
  }

  private static int handle(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    boolean trace = false;
    // --stacktrace is inherited: it may have been given to the top command or to any subcommand.
    for (CommandLine.ParseResult level = parseResult; level != null; level = level.subcommand()) {
      trace |= level.hasMatchedOption("--stacktrace");
    }
    int code;
    if (e instanceof InvalidInputException invalid) {
      code = INVALID_INPUT;
      err.println("releasegate: " + Advice.message(invalid));
    } else if (e instanceof EnvironmentException environment) {
      code = ENVIRONMENT;
      err.println("releasegate: " + Advice.message(environment));
    } else {
      code = ENVIRONMENT;
      err.println("releasegate: internal error: " + e + (trace ? "" : " (rerun with --stacktrace for details)"));
    }
    if (trace) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"releasegate " + Releasegate.version()};
    }
  }
}
