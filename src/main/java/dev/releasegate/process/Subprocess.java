package dev.releasegate.process;

import dev.releasegate.base.EnvironmentException;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteResultHandler;
import org.apache.commons.exec.LogOutputStream;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * Runs one command through commons-exec with a deadline. On timeout or interrupt the whole process
 * tree is stopped, not just the direct child: build tools fork (mvn starts surefire JVMs) and a
 * survivor would hold resources and output pipes after the stage ended.
 */
public final class Subprocess {
  private static final Duration GRACE = Duration.ofSeconds(5);

  private final List<String> command;
  private List<String> wrapper = List.of();
  private Path directory;
  private Map<String, String> environment = Map.of();
  private Duration timeout = Duration.ofMinutes(30);
  private OutputStream stdout;
  private OutputStream stderr;

  private Subprocess(List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    this.command = List.copyOf(command);
  }

  public static Subprocess of(List<String> command) {
    return new Subprocess(command);
  }

  /**
   * How a run ended.
   *
   * @param exitCode the exit status; meaningless when {@code timedOut}
   * @param timedOut stopped because the deadline passed
   */
  public record Result(int exitCode, boolean timedOut, Duration duration) {}

  /** Runs the command, once resolved, as the last arguments of {@code prefix} (a sandbox, a launcher). */
  public Subprocess wrapper(List<String> prefix) {
    this.wrapper = List.copyOf(prefix);
    return this;
  }

  public Subprocess directory(Path directory) {
    this.directory = directory;
    return this;
  }

  /** The complete environment of the child (not added to this process's). */
  public Subprocess environment(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
    return this;
  }

  public Subprocess timeout(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout);
    return this;
  }

  /** Raw standard output; by default it is discarded. */
  public Subprocess stdout(OutputStream out) {
    this.stdout = out;
    return this;
  }

  public Subprocess stderr(OutputStream err) {
    this.stderr = err;
    return this;
  }

  /**
   * Standard output and error, merged, line by line (UTF-8). Each stream is split into lines on its
   * own: the two are pumped by two threads, and one shared splitter would cut their lines into each
   * other. The consumer is called by one thread at a time.
   */
  public Subprocess lines(Consumer<String> consumer) {
    Object lock = new Object();
    Consumer<String> serial = line -> {
      synchronized (lock) {
        consumer.accept(line);
      }
    };
    this.stdout = lineStream(serial);
    this.stderr = lineStream(serial);
    return this;
  }

  public static OutputStream lineStream(Consumer<String> consumer) {
    return new LogOutputStream(0, StandardCharsets.UTF_8) {
      @Override
      protected void processLine(String line, int level) {
        consumer.accept(line);
      }
    };
  }

  /**
   * Runs the command to its end or deadline.
   *
   * @throws EnvironmentException when the executable cannot be found or started
   * @throws InterruptedException when this thread is interrupted; the process tree is stopped first
   */
  public Result run() throws InterruptedException {
    String executable = command.get(0);
    // A relative path such as ./mvnw is the project's, not this process's working directory's.
    String located = executable.contains("/") && !executable.startsWith("/") && directory != null
        ? directory.resolve(executable).normalize().toString() : executable;
    Path resolved = findExecutable(located, environment)
        .orElseThrow(() -> new EnvironmentException(executable + " not found"
            + (executable.contains("/") ? (directory != null && !executable.startsWith("/") ? " in " + directory : "") : " on PATH")));
    List<String> argv = new ArrayList<>(wrapper);
    argv.add(resolved.toString());
    argv.addAll(command.subList(1, command.size()));
    Path launcher = wrapper.isEmpty() ? resolved : findExecutable(wrapper.get(0), environment)
        .orElseThrow(() -> new EnvironmentException(wrapper.get(0) + " not found"));
    CommandLine line = new CommandLine(launcher.toString());
    for (String argument : argv.subList(1, argv.size())) {
      line.addArgument(argument, false);
    }
    ProcessCapturingExecutor executor = new ProcessCapturingExecutor();
    if (directory != null) {
      executor.setWorkingDirectory(directory.toFile());
    }
    PumpStreamHandler streams = new PumpStreamHandler(
        stdout == null ? OutputStream.nullOutputStream() : stdout,
        stderr == null ? OutputStream.nullOutputStream() : stderr);
    streams.setStopTimeout(GRACE);
    executor.setStreamHandler(streams);
    executor.setExitValues(null);
    LatchHandler handler = new LatchHandler();
    Instant start = Instant.now();
    try {
      executor.execute(line, environment, handler);
    } catch (IOException e) {
      throw new EnvironmentException("cannot start " + executable + ": " + e.getMessage(), e);
    }
    try {
      handler.waitFor(timeout);
    } catch (InterruptedException e) {
      executor.stopTree();
      handler.waitFor(GRACE);
      throw e;
    }
    boolean timedOut = !handler.hasResult();
    if (timedOut) {
      executor.stopTree();
      handler.waitFor(GRACE);
    }
    flush(stdout);
    flush(stderr);
    Duration duration = Duration.between(start, Instant.now());
    if (!timedOut && handler.failure != null && executor.process == null) {
      throw new EnvironmentException("cannot start " + executable + ": " + handler.failure.getMessage(), handler.failure);
    }
    // commons-exec reports a placeholder exit value when the output outlives the process; the
    // process's own is the honest one.
    Process process = executor.process;
    int exitCode = timedOut ? -1 : process != null && !process.isAlive() ? process.exitValue() : handler.exitValue;
    return new Result(exitCode, timedOut, duration);
  }

  private static void flush(OutputStream out) {
    if (out != null) {
      try {
        out.flush();
        if (out instanceof LogOutputStream log) {
          log.close();
        }
      } catch (IOException ignored) {
        // Output sinks are in-memory or local files; nothing useful to do about a failing flush.
      }
    }
  }

  /** A name with a slash is a path; otherwise it is looked up on the child's PATH. */
  public static Optional<Path> findExecutable(String name, Map<String, String> environment) {
    if (name.contains("/")) {
      Path path = Path.of(name);
      return Files.isExecutable(path) && !Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
    }
    String pathVariable = environment.getOrDefault("PATH", System.getenv().getOrDefault("PATH", ""));
    for (String folder : pathVariable.split(File.pathSeparator)) {
      if (folder.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(folder, name);
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Wakes the waiting thread the moment the process ends. commons-exec's DefaultExecuteResultHandler
   * polls every 50 ms, which every short command (a runtime's inspect, a version query) pays in full.
   */
  private static final class LatchHandler implements ExecuteResultHandler {
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile int exitValue;
    private volatile ExecuteException failure;

    @Override
    public void onProcessComplete(int exitValue) {
      this.exitValue = exitValue;
      done.countDown();
    }

    @Override
    public void onProcessFailed(ExecuteException e) {
      this.exitValue = e.getExitValue();
      this.failure = e;
      done.countDown();
    }

    void waitFor(Duration timeout) throws InterruptedException {
      done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    boolean hasResult() {
      return done.getCount() == 0;
    }
  }

  /**
   * Keeps the {@link Process} commons-exec starts, so that its descendants can be stopped too.
   * commons-exec launches on a thread of its own: a stop that comes before the launch makes the launch
   * refuse, so that no process outlives a stage stopped the moment it began.
   */
  private static final class ProcessCapturingExecutor extends DefaultExecutor {
    private volatile Process process;
    private boolean stopped;

    @Override
    protected synchronized Process launch(CommandLine command, Map<String, String> env, Path dir) throws IOException {
      refuseIfStopped();
      process = super.launch(command, env, dir);
      return process;
    }

    @Override
    protected synchronized Process launch(CommandLine command, Map<String, String> env, File dir) throws IOException {
      refuseIfStopped();
      process = super.launch(command, env, dir);
      return process;
    }

    private void refuseIfStopped() throws IOException {
      if (stopped) {
        throw new IOException("stopped before it started");
      }
    }

    /** SIGTERM to the tree, children first; SIGKILL to whatever is left after a grace period. */
    void stopTree() {
      Process target;
      synchronized (this) {
        stopped = true;
        target = process;
      }
      if (target == null) {
        return;
      }
      List<ProcessHandle> tree = new ArrayList<>(target.descendants().toList());
      tree.add(target.toHandle());
      tree.forEach(ProcessHandle::destroy);
      long deadline = System.nanoTime() + GRACE.toNanos();
      for (ProcessHandle handle : tree) {
        long left = deadline - System.nanoTime();
        try {
          if (left > 0) {
            handle.onExit().get(left, TimeUnit.NANOSECONDS);
          }
        } catch (Exception ignored) {
          // Still alive (or interrupted while waiting): force it below.
        }
        if (handle.isAlive()) {
          handle.destroyForcibly();
        }
      }
    }
  }
}
