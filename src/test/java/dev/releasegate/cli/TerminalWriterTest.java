package dev.releasegate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalWriterTest {
  @Test
  void controlCharactersAndBidiOverridesAreShownEscapedTextIsLeftAlone() {
    assertEquals("plain ✓ text\twith tab\nand a line", TerminalWriter.escape("plain ✓ text\twith tab\nand a line"));
    assertEquals("\\x1b[2J\\x1b]0;title\\x07 \\x0d\\x00\\x7f\\x9b \\u202egnp.exe", TerminalWriter.escape("\u001b[2J\u001b]0;title\u0007 \r\0\u007f\u009b \u202egnp.exe"));
  }

  @Test
  void everyWayOfPrintingIsEscapedButReleasegatesOwnControls() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TerminalWriter out = TerminalWriter.of(bytes);
    out.print('\u001b');
    out.print("a\u001bb");
    out.println(new char[] {'\r'});
    out.printf("%s%n", "\u0007");
    TerminalWriter.control(out, "\r\033[2K");
    out.flush();
    assertEquals("\\x1ba\\x1bb\\x0d\n\\x07\n\r\033[2K", bytes.toString(StandardCharsets.UTF_8));
  }
}
