package dev.releasegate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Remedy;
import dev.releasegate.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The library's remedies reach a user of the command line as the flags to pass, and only flags that exist. */
class AdviceTest {
  private static final Pattern FLAG = Pattern.compile("--[a-z][a-z-]*");

  @TempDir Path work;

  @Test
  void everyRemedyNamesFlagsTheCommandLineHas() {
    Set<String> options = new TreeSet<>();
    List<CommandLine> commands = new ArrayList<>(List.of(new CommandLine(new Main())));
    for (int i = 0; i < commands.size(); i++) {
      commands.get(i).getCommandSpec().options().forEach(option -> options.addAll(List.of(option.names())));
      commands.addAll(commands.get(i).getSubcommands().values());
    }
    for (Remedy remedy : Remedy.values()) {
      Matcher flags = FLAG.matcher(Advice.of(remedy));
      assertTrue(flags.find(), remedy + " names no flag: " + Advice.of(remedy));
      do {
        assertTrue(options.contains(flags.group()), remedy + " names " + flags.group() + ", which no command has");
      } while (flags.find());
      assertFalse(FLAG.matcher(remedy.advice()).find(), remedy + ": the library's words name a flag: " + remedy.advice());
    }
  }

  @Test
  void aFailureIsSaidWithItsProblemAndTheFlagsToPass() {
    InvalidInputException dirty = new InvalidInputException("the work tree has uncommitted changes (a.txt)", Remedy.ALLOW_DIRTY);
    assertEquals("the work tree has uncommitted changes (a.txt); commit them, or allow a dirty work tree to release anyway"
        + " (the evidence records it)", dirty.getMessage());
    assertEquals("the work tree has uncommitted changes (a.txt); commit them, or pass --allow-dirty to release anyway"
        + " (the evidence records it)", Advice.message(dirty));
    assertEquals("no such stage", Advice.message(new InvalidInputException("no such stage")));
  }

  @Test
  void aReleaseRefusedBeforeItRunsSaysTheFlag() throws IOException {
    Path project = TestRepos.create(work.resolve("project"), Map.of(
        "releasegate.yaml", "apiVersion: releasegate/v1\nstages:\n  - {name: a, uses: exec, with: {command: [\"true\"]}}\n",
        ".gitignore", "target/\n"));
    CommandRun untagged = CommandRun.of("release", "--project", project.toString());
    assertEquals(Main.INVALID_INPUT, untagged.exitCode(), untagged.stderr());
    assertEquals("releasegate: no release version; pass --version V, or tag HEAD (e.g. git tag v1.0.0)", untagged.stderr().strip());

    Files.writeString(project.resolve("uncommitted.txt"), "x");
    CommandRun dirty = CommandRun.of("release", "--project", project.toString(), "--version", "1.0.0");
    assertEquals(Main.INVALID_INPUT, dirty.exitCode(), dirty.stderr());
    assertEquals("releasegate: the work tree has uncommitted changes (uncommitted.txt); commit them, or pass --allow-dirty to release anyway"
        + " (the evidence records it)", dirty.stderr().strip());
  }
}
