package dev.releasegate.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SubprocessTest {
  private static final Pattern WHOLE = Pattern.compile("out-\\d+-o{300}|err-\\d+-e{300}");

  @Test
  void mergedOutputKeepsEveryLineWhole() throws InterruptedException {
    // Both streams write at once, so their pump threads deliver bytes at the same time.
    String o = "o".repeat(300);
    String e = "e".repeat(300);
    String script = "(i=0; while [ $i -lt 3000 ]; do echo out-$i-" + o + "; i=$((i+1)); done) & "
        + "(i=0; while [ $i -lt 3000 ]; do echo err-$i-" + e + " >&2; i=$((i+1)); done) & wait";
    List<String> lines = new ArrayList<>();
    Subprocess.Result result = Subprocess.of(List.of("sh", "-c", script)).timeout(Duration.ofSeconds(60)).lines(lines::add).run();
    assertEquals(0, result.exitCode());
    List<String> broken = lines.stream().filter(line -> !WHOLE.matcher(line).matches()).limit(3).toList();
    assertEquals(List.of(), broken, "lines cut into each other");
    assertEquals(6000, lines.size());
    assertTrue(lines.contains("out-2999-" + o) && lines.contains("err-2999-" + e));
  }
}
