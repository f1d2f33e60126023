package dev.releasegate.examples.hello;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settings, read only from the environment so the same image runs unchanged everywhere.
 *
 * @param port TCP port to listen on
 * @param shutdownGraceSeconds how long in-flight requests may run on after SIGTERM
 * @param greeting what {@code GET /} says
 */
public record Config(int port, int shutdownGraceSeconds, String greeting) {

    static final int DEFAULT_PORT = 8080;
    static final int DEFAULT_SHUTDOWN_GRACE_SECONDS = 5;
    static final String DEFAULT_GREETING = "hello";

    /** Orchestrators commonly kill a container 10 s after SIGTERM; 30 s leaves room for slower ones. */
    static final int MAX_SHUTDOWN_GRACE_SECONDS = 30;
    static final int MAX_GREETING_LENGTH = 200;

    /**
     * Validates every variable before reporting, so one failed start shows all mistakes at once.
     * An empty value is a value: it is validated, not taken as "unset".
     *
     * @throws InvalidConfigException naming each variable that is wrong, and why
     */
    public static Config fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        int port = intSetting(env, "PORT", DEFAULT_PORT, 1, 65535, problems);
        int grace = intSetting(env, "SHUTDOWN_GRACE_SECONDS", DEFAULT_SHUTDOWN_GRACE_SECONDS,
                0, MAX_SHUTDOWN_GRACE_SECONDS, problems);
        String greeting = env.getOrDefault("GREETING", DEFAULT_GREETING);
        if (greeting.isBlank()) {
            problems.add("GREETING must not be empty");
        } else if (greeting.codePointCount(0, greeting.length()) > MAX_GREETING_LENGTH) {
            problems.add("GREETING must be at most " + MAX_GREETING_LENGTH + " characters, got "
                    + greeting.codePointCount(0, greeting.length()));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new Config(port, grace, greeting);
    }

    private static int intSetting(Map<String, String> env, String name, int defaultValue, int min, int max,
                                  List<String> problems) {
        String raw = env.get(name);
        if (raw == null) {
            return defaultValue;
        }
        String expected = name + " must be an integer from " + min + " to " + max;
        int value;
        try {
            value = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            problems.add(expected + ", got \"" + raw + "\"");
            return defaultValue;
        }
        if (value < min || value > max) {
            problems.add(expected + ", got " + value);
        }
        return value;
    }
}
