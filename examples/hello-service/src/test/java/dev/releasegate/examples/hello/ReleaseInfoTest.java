package dev.releasegate.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseInfoTest {

    @Test
    void readsRevisionAndVersion() {
        assertEquals(new ReleaseInfo("3f2c1ab", "1.0.0"),
                ReleaseInfo.fromEnvironment(Map.of("RELEASE_REVISION", "3f2c1ab", "RELEASE_VERSION", "1.0.0")));
    }

    @Test
    void reportsUnknownWhenUnsetOrBlank() {
        assertEquals(new ReleaseInfo("unknown", "unknown"), ReleaseInfo.fromEnvironment(Map.of()));
        assertEquals(new ReleaseInfo("unknown", "unknown"),
                ReleaseInfo.fromEnvironment(Map.of("RELEASE_REVISION", "", "RELEASE_VERSION", "  ")));
    }
}
