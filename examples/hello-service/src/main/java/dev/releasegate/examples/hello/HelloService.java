package dev.releasegate.examples.hello;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

/** Entry point: reads the environment, starts the server and drains it on SIGTERM. */
public final class HelloService {

    /** The environment does not describe a runnable service. */
    static final int EXIT_INVALID_CONFIG = 2;
    /** The service could not start, e.g. the port is taken. */
    static final int EXIT_START_FAILED = 1;

    private HelloService() {
    }

    public static void main(String[] args) {
        JsonLog log = new JsonLog(System.out, Clock.systemUTC());
        JulBridge.install(log);
        Thread.setDefaultUncaughtExceptionHandler(
                (thread, error) -> log.error("uncaught exception", error, "thread", thread.getName()));

        HelloServer server;
        try {
            server = launch(System.getenv(), log, new JsonLog(System.err, Clock.systemUTC()));
        } catch (StartupFailure failure) {
            System.exit(failure.exitCode);
            return;
        }
        // Registered before reporting ready, so a SIGTERM at any moment after that is drained properly.
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "shutdown"));
        server.markReady();
    }

    /**
     * Validates the environment and starts serving, not yet ready.
     *
     * @param errorLog where a configuration error goes: stderr, so it shows even where stdout is collected elsewhere
     * @throws StartupFailure after logging why, carrying the exit code to use
     */
    static HelloServer launch(Map<String, String> env, JsonLog log, JsonLog errorLog) throws StartupFailure {
        Config config;
        try {
            config = Config.fromEnvironment(env);
        } catch (InvalidConfigException e) {
            errorLog.write(JsonLog.Level.ERROR, e.getMessage(), null, "problems", e.problems());
            throw new StartupFailure(EXIT_INVALID_CONFIG);
        }
        try {
            return HelloServer.start(config, ReleaseInfo.fromEnvironment(env), log);
        } catch (IOException e) {
            log.error("cannot listen on port " + config.port(), e, "port", config.port());
            throw new StartupFailure(EXIT_START_FAILED);
        }
    }

    /** Start-up failed and was logged; the process should exit with {@link #exitCode}. */
    static final class StartupFailure extends Exception {

        private static final long serialVersionUID = 1L;

        final int exitCode;

        StartupFailure(int exitCode) {
            super("start-up failed, exit code " + exitCode, null, false, false);
            this.exitCode = exitCode;
        }
    }
}
