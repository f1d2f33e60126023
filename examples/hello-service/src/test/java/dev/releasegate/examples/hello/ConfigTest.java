package dev.releasegate.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTest {

    @Test
    void defaultsApplyWhenNothingIsSet() {
        assertEquals(new Config(8080, 5, "hello"), Config.fromEnvironment(Map.of()));
    }

    @Test
    void readsEveryVariable() {
        Config config = Config.fromEnvironment(Map.of("PORT", "9090", "SHUTDOWN_GRACE_SECONDS", "12", "GREETING", "hi there"));
        assertEquals(new Config(9090, 12, "hi there"), config);
    }

    @ParameterizedTest
    @CsvSource({"1, 0", "65535, 30", "' 8081 ', ' 7 '"})
    void acceptsBoundaryValues(String port, String grace) {
        Config config = Config.fromEnvironment(Map.of("PORT", port, "SHUTDOWN_GRACE_SECONDS", grace));
        assertEquals(Integer.parseInt(port.strip()), config.port());
        assertEquals(Integer.parseInt(grace.strip()), config.shutdownGraceSeconds());
    }

    @Test
    void acceptsGreetingOfExactlyTheMaximumLength() {
        String longest = "é".repeat(Config.MAX_GREETING_LENGTH);
        assertEquals(longest, Config.fromEnvironment(Map.of("GREETING", longest)).greeting());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PORT                   | abc   | PORT must be an integer from 1 to 65535, got \"abc\"",
        "PORT                   | ''    | PORT must be an integer from 1 to 65535, got \"\"",
        "PORT                   | 0     | PORT must be an integer from 1 to 65535, got 0",
        "PORT                   | 65536 | PORT must be an integer from 1 to 65535, got 65536",
        "PORT                   | 80.5  | PORT must be an integer from 1 to 65535, got \"80.5\"",
        "SHUTDOWN_GRACE_SECONDS | -1    | SHUTDOWN_GRACE_SECONDS must be an integer from 0 to 30, got -1",
        "SHUTDOWN_GRACE_SECONDS | 31    | SHUTDOWN_GRACE_SECONDS must be an integer from 0 to 30, got 31",
        "SHUTDOWN_GRACE_SECONDS | 5s    | SHUTDOWN_GRACE_SECONDS must be an integer from 0 to 30, got \"5s\"",
        "GREETING               | ''    | GREETING must not be empty",
        "GREETING               | '   ' | GREETING must not be empty",
    })
    void rejectsBadValueWithClearMessage(String name, String value, String expectedProblem) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> Config.fromEnvironment(Map.of(name, value)));
        assertEquals(List.of(expectedProblem), e.problems());
        assertEquals("invalid configuration: " + expectedProblem, e.getMessage());
    }

    @Test
    void rejectsGreetingLongerThanTheMaximum() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> Config.fromEnvironment(Map.of("GREETING", "x".repeat(201))));
        assertEquals(List.of("GREETING must be at most 200 characters, got 201"), e.problems());
    }

    @Test
    void reportsAllProblemsInOneMessage() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> Config.fromEnvironment(Map.of("PORT", "x", "SHUTDOWN_GRACE_SECONDS", "99", "GREETING", "")));
        assertEquals(3, e.problems().size());
        assertEquals("invalid configuration: PORT must be an integer from 1 to 65535, got \"x\"; "
                + "SHUTDOWN_GRACE_SECONDS must be an integer from 0 to 30, got 99; GREETING must not be empty",
                e.getMessage());
    }
}
