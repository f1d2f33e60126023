package dev.releasegate.stages.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lint's tar reader against archives written by commons-compress and against hand-made headers. */
class TarReaderTest {

  private static List<TarReader.Entry> entries(byte[] tar) throws IOException {
    TarReader reader = new TarReader(new ByteArrayInputStream(tar));
    List<TarReader.Entry> entries = new ArrayList<>();
    for (TarReader.Entry entry = reader.next(); entry != null; entry = reader.next()) {
      entries.add(entry);
    }
    return entries;
  }

  @Test
  void readsFilesFoldersAndLinksWithTheirContent() throws IOException {
    byte[] tar = TestLayers.layer()
        .directory("app")
        .file("app/a.txt", "alpha")
        .symlink("app/link", "a.txt")
        .file("./app/b.bin", new byte[1000])
        .tar();

    TarReader reader = new TarReader(new ByteArrayInputStream(tar));
    assertEquals(new TarReader.Entry("/app", '5', 0, ""), reader.next());
    TarReader.Entry a = reader.next();
    assertEquals(new TarReader.Entry("/app/a.txt", '0', 5, ""), a);
    assertEquals("alpha", new String(reader.content().readAllBytes(), StandardCharsets.UTF_8));
    assertEquals(new TarReader.Entry("/app/link", '2', 0, "a.txt"), reader.next());
    // b.bin's content is left unread: next() must skip it and its padding.
    assertEquals(new TarReader.Entry("/app/b.bin", '0', 1000, ""), reader.next());
    assertNull(reader.next());
    assertNull(reader.next(), "the end stays the end");
  }

  @Test
  void paxAndGnuLongNamesAreFollowed() throws IOException {
    String deep = "opt/" + "x".repeat(120) + "/id_rsa";
    assertEquals("/" + deep, entries(TestLayers.layer().file(deep, "k").tar()).get(0).path());
    assertEquals("/" + deep, entries(TestLayers.layer().gnuLongNames().file(deep, "k").tar()).get(0).path());
  }

  @Test
  void ustarPrefixIsJoinedToTheName() throws IOException {
    byte[] header = header("id_ed25519", "home/" + "y".repeat(120) + "/.ssh", '0', 0);
    byte[] tar = Arrays.copyOf(header, 512 * 3);
    assertEquals("/home/" + "y".repeat(120) + "/.ssh/id_ed25519", entries(tar).get(0).path());
  }

  @Test
  void aHeaderWithAWrongChecksumIsNotATar() {
    byte[] tar = TestLayers.layer().file("a.txt", "alpha").tar();
    tar[0] = 'b';
    assertEquals("not a tar archive: header checksum mismatch",
        assertThrows(IOException.class, () -> entries(tar)).getMessage());
  }

  @Test
  void randomBytesAreNotATar() {
    byte[] noise = new byte[1024];
    Arrays.fill(noise, (byte) 'z');
    assertThrows(IOException.class, () -> entries(noise));
  }

  @Test
  void anArchiveCutInsideAnEntryFails() {
    byte[] tar = TestLayers.layer().file("big", new byte[5000]).tar();
    byte[] cut = Arrays.copyOf(tar, 512 + 1000);
    assertEquals("tar archive ends inside an entry", assertThrows(IOException.class, () -> entries(cut)).getMessage());
  }

  @Test
  void pathsAreNormalizedAndNeverClimbAboveTheRoot() {
    assertEquals("/etc/passwd", TarReader.normalize("./etc//passwd"));
    assertEquals("/etc/passwd", TarReader.normalize("../../etc/passwd"));
    assertEquals("/b", TarReader.normalize("a/../b"));
    assertEquals("/", TarReader.normalize("./"));
  }

  /** A ustar header block with a correct checksum. */
  private static byte[] header(String name, String prefix, char type, long size) {
    byte[] block = new byte[512];
    put(block, 0, name);
    put(block, 100, "0000644\0");
    put(block, 108, "0000000\0");
    put(block, 116, "0000000\0");
    put(block, 124, String.format("%011o\0", size));
    put(block, 136, "00000000000\0");
    block[156] = (byte) type;
    put(block, 257, "ustar\0");
    put(block, 263, "00");
    put(block, 345, prefix);
    Arrays.fill(block, 148, 156, (byte) ' ');
    int sum = 0;
    for (byte b : block) {
      sum += b & 0xff;
    }
    put(block, 148, String.format("%06o\0 ", sum));
    return block;
  }

  private static void put(byte[] block, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, block, offset, bytes.length);
  }
}
