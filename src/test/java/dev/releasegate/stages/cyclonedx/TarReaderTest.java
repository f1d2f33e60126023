package dev.releasegate.stages.cyclonedx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stage's tar reader against archives written by commons-compress, and against garbage. */
class TarReaderTest {
  private static final String LONG = "opt/" + "very-long-directory-name/".repeat(8) + "library-1.0.jar";

  @Test
  void readsEveryEntryTypeWithItsContent() throws IOException {
    byte[] tar = TestLayers.layer()
        .directory("etc")
        .file("etc/hostname", "box\n")
        .symlink("etc/localtime", "/usr/share/zoneinfo/UTC")
        .hardlink("etc/hostname2", "etc/hostname")
        .file("empty", "")
        .tar();
    TarReader reader = new TarReader(new ByteArrayInputStream(tar));

    TarReader.Entry directory = reader.next();
    assertEquals("etc/", directory.name());
    assertTrue(directory.isDirectory());
    TarReader.Entry file = reader.next();
    assertEquals("etc/hostname", file.name());
    assertTrue(file.isRegularFile());
    assertEquals(4, file.size());
    assertArrayEquals("box\n".getBytes(StandardCharsets.UTF_8), reader.content().readAllBytes());
    TarReader.Entry link = reader.next();
    assertTrue(link.isSymlink());
    assertEquals("/usr/share/zoneinfo/UTC", link.linkName());
    TarReader.Entry hard = reader.next();
    assertTrue(hard.isHardlink());
    assertEquals("etc/hostname", hard.linkName());
    assertEquals(0, hard.size(), "a hard link has no data of its own");
    TarReader.Entry empty = reader.next();
    assertEquals(0, reader.content().readAllBytes().length);
    assertEquals("empty", empty.name());
    assertNull(reader.next());
    assertNull(reader.next(), "the end stays the end");
  }

  @Test
  void unreadContentIsSkipped() throws IOException {
    byte[] big = new byte[70_001]; // not a multiple of 512: the padding must be skipped too
    new Random(1).nextBytes(big);
    byte[] tar = TestLayers.layer().file("a.bin", big).file("b.txt", "after\n").tar();
    TarReader reader = new TarReader(new ByteArrayInputStream(tar));
    assertEquals("a.bin", reader.next().name());
    reader.content().readNBytes(100); // partly read
    assertEquals("b.txt", reader.next().name());
    assertEquals("after\n", new String(reader.content().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void longNamesFromPaxAndGnuHeaders() throws IOException {
    for (TestLayers layer : new TestLayers[] {TestLayers.layer(), TestLayers.gnuLayer()}) {
      byte[] tar = layer.file(LONG, "x").symlink("link", "/" + LONG).tar();
      TarReader reader = new TarReader(new ByteArrayInputStream(tar));
      assertEquals(LONG, reader.next().name());
      assertEquals("/" + LONG, reader.next().linkName());
      assertNull(reader.next());
    }
  }

  @Test
  void ustarPrefixJoinsLongPaths() throws IOException {
    // POSIX ustar splits names up to 255 bytes into prefix and name; commons-compress writes PAX
    // instead, so the header is made by hand here.
    byte[] tar = new byte[512 * 4];
    System.arraycopy(header("b".repeat(90), "a".repeat(120), '0', 1), 0, tar, 0, 512);
    tar[512] = 'x';
    TarReader.Entry entry = new TarReader(new ByteArrayInputStream(tar)).next();
    assertEquals("a".repeat(120) + "/" + "b".repeat(90), entry.name());
    assertEquals(1, entry.size());
  }

  @Test
  void headerWithWrongChecksumIsRefused() {
    byte[] tar = new byte[512 * 3];
    byte[] header = header("file", "", '0', 0);
    header[0] = 'F'; // changed after the checksum was computed
    System.arraycopy(header, 0, tar, 0, 512);
    IOException e = assertThrows(IOException.class, () -> new TarReader(new ByteArrayInputStream(tar)).next());
    assertEquals("not a tar archive: header checksum mismatch at byte 0", e.getMessage());
  }

  /** A POSIX ustar header block: name, prefix, typeflag, octal size, magic "ustar\0" "00", checksum. */
  private static byte[] header(String name, String prefix, char type, long size) {
    byte[] block = new byte[512];
    put(block, 0, name);
    put(block, 100, "0000644");
    put(block, 124, String.format("%011o", size));
    put(block, 136, "00000000000");
    block[156] = (byte) type;
    put(block, 257, "ustar");
    put(block, 263, "00");
    put(block, 345, prefix);
    Arrays.fill(block, 148, 156, (byte) ' ');
    int sum = 0;
    for (byte b : block) {
      sum += b & 0xff;
    }
    put(block, 148, String.format("%06o", sum));
    block[154] = 0;
    return block;
  }

  private static void put(byte[] block, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, block, offset, bytes.length);
  }

  @Test
  void randomBytesAreNotATarArchive() {
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);
    IOException e = assertThrows(IOException.class, () -> new TarReader(new ByteArrayInputStream(noise)).next());
    assertTrue(e.getMessage().startsWith("not a tar archive"), e.getMessage());
  }

  @Test
  void truncatedArchiveIsAnError() throws IOException {
    byte[] data = new byte[10_000];
    byte[] tar = TestLayers.layer().file("data.bin", data).file("next", "x").tar();
    byte[] cut = Arrays.copyOf(tar, 512 + 5_000);
    TarReader reader = new TarReader(new ByteArrayInputStream(cut));
    reader.next();
    EOFException e = assertThrows(EOFException.class, reader::next);
    assertTrue(e.getMessage().startsWith("tar archive truncated"), e.getMessage());
  }

  @Test
  void archiveWithoutEndBlocksEndsAtTheLastEntry() throws IOException {
    byte[] tar = TestLayers.layer().file("only", "x").tar();
    // commons-compress ends with exactly two zero blocks here; cut them off.
    assertTrue(Arrays.equals(new byte[1024], Arrays.copyOfRange(tar, tar.length - 1024, tar.length)));
    byte[] withoutEnd = Arrays.copyOf(tar, tar.length - 1024);
    TarReader reader = new TarReader(new ByteArrayInputStream(withoutEnd));
    assertEquals("only", reader.next().name());
    assertNull(reader.next());
  }
}
