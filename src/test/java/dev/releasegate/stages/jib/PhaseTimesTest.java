package dev.releasegate.stages.jib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.releasegate.registry.RegistryAccess;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The jib stage's phase times as --verbose prints them and the provenance records them. */
class PhaseTimesTest {
  @Test
  void aPushSaysWhatItUploadedAndADryRunWhatItKept() {
    PhaseTimes pushed = new PhaseTimes(Optional.of(Duration.ofMillis(4_130)), Duration.ofMillis(1_249), Duration.ofMillis(800),
        Optional.of(new RegistryAccess.Pushed(5, 3, 24_900)));
    assertEquals("build command 4.1 s, containerize 1.2 s, push 0.8 s (3 of 5 blobs uploaded, 24.9 KB)", pushed.summary());
    assertEquals("{\"buildCommandMs\":4130,\"containerizeMs\":1249,\"pushMs\":800}", pushed.json().toString());

    PhaseTimes kept = new PhaseTimes(Optional.of(Duration.ofMillis(50)), Duration.ofSeconds(2), Duration.ofMillis(300), Optional.empty());
    assertEquals("build command 0.1 s, containerize 2.0 s, keep 0.3 s", kept.summary());
    assertEquals("{\"buildCommandMs\":50,\"containerizeMs\":2000,\"keepMs\":300}", kept.json().toString());

    assertEquals("build command 0.0 s, containerize 0.0 s, push 0.0 s (0 of 7 blobs uploaded, 0 B)",
        new PhaseTimes(Optional.of(Duration.ZERO), Duration.ZERO, Duration.ZERO, Optional.of(new RegistryAccess.Pushed(7, 0, 0))).summary());
    assertEquals("build command 0.0 s, containerize 0.0 s, push 0.0 s (4 of 7 blobs uploaded, 315.2 MB)",
        new PhaseTimes(Optional.of(Duration.ZERO), Duration.ZERO, Duration.ZERO, Optional.of(new RegistryAccess.Pushed(7, 4, 315_200_000))).summary());

    PhaseTimes earlier = new PhaseTimes(Optional.empty(), Duration.ofMillis(900), Duration.ofMillis(200), Optional.of(new RegistryAccess.Pushed(5, 1, 2_000)));
    assertEquals("built earlier in the run, containerize 0.9 s, push 0.2 s (1 of 5 blobs uploaded, 2.0 KB)", earlier.summary());
    assertEquals("{\"containerizeMs\":900,\"pushMs\":200}", earlier.json().toString(), "no build command ran here");
  }
}
