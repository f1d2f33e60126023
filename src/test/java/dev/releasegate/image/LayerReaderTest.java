package dev.releasegate.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.Digests;
import dev.releasegate.image.LayerEntry.Type;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layer blobs read with commons-compress behind the reader's checks: archives written by
 * commons-compress's writer and by hand (ustar prefix, base-256 sizes), gzip and plain, and what is
 * not a layer (garbage, corruption, truncation, zstd).
 */
class LayerReaderTest {
  private static final String LONG = "opt/" + "very-long-directory-name/".repeat(8) + "library-1.0.jar";

  /** An entry and its whole content, as a visitor saw them. */
  private record Seen(LayerEntry entry, String content) {}

  private static List<Seen> entries(byte[] blob) throws IOException {
    List<Seen> seen = new ArrayList<>();
    LayerReader.read(new ByteArrayInputStream(blob),
        (entry, content) -> seen.add(new Seen(entry, new String(content.readAllBytes(), StandardCharsets.UTF_8))));
    return seen;
  }

  private static LayerSummary summary(byte[] blob) throws IOException {
    return LayerReader.read(new ByteArrayInputStream(blob), (entry, content) -> {});
  }

  // ---- entries ----

  @Test
  void everyEntryTypeWithItsContent() throws IOException {
    byte[] tar = TestLayers.layer()
        .directory("etc")
        .file("etc/hostname", "box\n")
        .symlink("etc/localtime", "/usr/share/zoneinfo/UTC")
        .hardlink("etc/hostname2", "./etc/hostname")
        .file("empty", "")
        .directory("./")
        .tar();

    assertEquals(List.of(
        new Seen(new LayerEntry("/etc", Type.DIRECTORY, 0, ""), ""),
        new Seen(new LayerEntry("/etc/hostname", Type.FILE, 4, ""), "box\n"),
        new Seen(new LayerEntry("/etc/localtime", Type.SYMLINK, 0, "/usr/share/zoneinfo/UTC"), ""),
        new Seen(new LayerEntry("/etc/hostname2", Type.HARDLINK, 0, "/etc/hostname"), ""),
        new Seen(new LayerEntry("/empty", Type.FILE, 0, ""), ""),
        new Seen(new LayerEntry("/", Type.DIRECTORY, 0, ""), "")), entries(tar),
        "a symlink's target as written, a hard link's as a path; links have no data of their own; nothing after the end");
    assertEquals(6, summary(tar).entries());
  }

  @Test
  void whiteoutsNameWhatTheyDelete() throws IOException {
    byte[] tar = TestLayers.layer().whiteout("usr/bin/apt").opaque("var/cache").whiteout(".wh.odd").tar();
    assertEquals(List.of(
        new LayerEntry("/usr/bin/apt", Type.WHITEOUT, 0, ""),
        new LayerEntry("/var/cache", Type.OPAQUE_WHITEOUT, 0, ""),
        new LayerEntry("/.wh.odd", Type.WHITEOUT, 0, "")), entries(tar).stream().map(Seen::entry).toList());
  }

  @Test
  void unreadContentIsSkippedWithItsPadding() throws IOException {
    byte[] big = new byte[70_001]; // not a multiple of 512: the padding must be skipped too
    new Random(1).nextBytes(big);
    byte[] tar = TestLayers.layer().file("a.bin", big).file("b.txt", "after\n").tar();
    List<String> seen = new ArrayList<>();
    LayerReader.read(new ByteArrayInputStream(tar), (entry, content) -> {
      if (entry.path().equals("/a.bin")) {
        assertArrayEquals(Arrays.copyOf(big, 100), content.readNBytes(100)); // partly read
      } else {
        seen.add(entry.path() + ": " + new String(content.readAllBytes(), StandardCharsets.UTF_8));
      }
    });
    assertEquals(List.of("/b.txt: after\n"), seen);
  }

  @Test
  void longNamesFromPaxAndGnuHeaders() throws IOException {
    for (TestLayers layer : new TestLayers[] {TestLayers.layer(), TestLayers.gnuLayer()}) {
      List<Seen> seen = entries(layer.file(LONG, "x").symlink("link", "/" + LONG).file("home/app/.ssh/" + "k".repeat(120), "k").tar());
      assertEquals("/" + LONG, seen.get(0).entry().path());
      assertEquals("/" + LONG, seen.get(1).entry().linkTarget());
      assertEquals("/home/app/.ssh/" + "k".repeat(120), seen.get(2).entry().path());
      assertEquals(3, seen.size());
    }
  }

  @Test
  void ustarPrefixJoinsLongPaths() throws IOException {
    // POSIX ustar splits names up to 255 bytes into prefix and name; commons-compress writes PAX
    // instead, so the header is made by hand here.
    byte[] tar = new byte[512 * 4];
    System.arraycopy(header("b".repeat(90), "./a/" + "a".repeat(120), '0', octal(1)), 0, tar, 0, 512);
    tar[512] = 'x';
    assertEquals(List.of(new Seen(new LayerEntry("/a/" + "a".repeat(120) + "/" + "b".repeat(90), Type.FILE, 1, ""), "x")), entries(tar));
  }

  @Test
  void base256SizesAsGnuTarWritesThemBeyond8GiB() throws IOException {
    // The same encoding GNU tar uses for 8 GiB and more, with a small value so the test stays small.
    byte[] size = new byte[12];
    size[0] = (byte) 0x80;
    size[10] = 0x02;
    size[11] = 0x01; // 0x201 = 513 bytes: one whole record and one byte
    byte[] content = "y".repeat(513).getBytes(StandardCharsets.US_ASCII);
    byte[] tar = new byte[512 * 5];
    System.arraycopy(header("big.bin", "", '0', size), 0, tar, 0, 512);
    System.arraycopy(content, 0, tar, 512, content.length);
    assertEquals(List.of(new Seen(new LayerEntry("/big.bin", Type.FILE, 513, ""), "y".repeat(513))), entries(tar));
  }

  @Test
  void anArchiveWithoutEndBlocksEndsAtItsLastEntry() throws IOException {
    byte[] tar = TestLayers.layer().file("only", "x").tar();
    // commons-compress ends with exactly two zero blocks here; cut them off.
    assertArrayEquals(new byte[1024], Arrays.copyOfRange(tar, tar.length - 1024, tar.length));
    assertEquals(List.of(new Seen(new LayerEntry("/only", Type.FILE, 1, ""), "x")), entries(Arrays.copyOf(tar, tar.length - 1024)));
  }

  @Test
  void pathsAreNormalizedAndNeverClimbAboveTheRoot() {
    Map.of("./etc//passwd", "/etc/passwd", "../../etc/passwd", "/etc/passwd", "a/../b", "/b", "./", "/")
        .forEach((name, normalized) -> assertEquals(normalized, ImagePath.normalize(name), name));
    assertEquals(List.of("/usr/lib", "/", "/"), List.of(ImagePath.parent("/usr/lib/os-release"), ImagePath.parent("/etc"), ImagePath.parent("/")));
    assertEquals("/usr/lib/os-release", ImagePath.child("/etc", "../usr/lib/os-release"));
  }

  // ---- blobs: gzip or plain, sizes and diff_id ----

  @Test
  void gzipAndPlainTarBlobsGiveTheTarsDiffIdAndBothSizes() throws IOException {
    TestLayers layer = TestLayers.layer().file("var/lib/dpkg/status.d/libc6", "Package: libc6\n").file("app/data", new byte[300_000]);
    byte[] tar = layer.tar();
    byte[] gzip = layer.gzip();
    String diffId = "sha256:" + Digests.sha256Hex(tar);

    assertEquals(new LayerSummary(gzip.length, tar.length, diffId, 2, 15 + 300_000), summary(gzip));
    assertEquals(new LayerSummary(tar.length, tar.length, diffId, 2, 15 + 300_000), summary(tar), "an uncompressed layer is read as it is");
  }

  @Test
  void concatenatedGzipMembersAreOneLayer() throws IOException {
    // pigz and some registries' tools write several members; gzip(1) and Go read them as one stream.
    byte[] tar = TestLayers.layer().file("a", "first").file("b", "second").tar();
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    blob.writeBytes(TestLayers.gzip(Arrays.copyOf(tar, 1024)));
    blob.writeBytes(TestLayers.gzip(Arrays.copyOfRange(tar, 1024, tar.length)));

    assertEquals(List.of("first", "second"), entries(blob.toByteArray()).stream().map(Seen::content).toList());
    assertEquals("sha256:" + Digests.sha256Hex(tar), summary(blob.toByteArray()).diffId());
  }

  // ---- what is not a layer: every case fails, none reads as an empty layer ----

  @Test
  void zstdIsRefusedByName() {
    byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
    assertEquals("it is zstd-compressed; releasegate reads gzip and plain tar layers",
        assertThrows(IOException.class, () -> summary(zstd)).getMessage());
  }

  @Test
  void aHeaderWithAWrongChecksumIsNotATar() {
    byte[] tar = TestLayers.layer().file("a.txt", "alpha").file("b.txt", "beta").tar();
    tar[0] = 'b'; // changed after the checksum was computed
    assertEquals("not a tar archive: header checksum mismatch at byte 0", assertThrows(IOException.class, () -> entries(tar)).getMessage());

    byte[] second = TestLayers.layer().file("a.txt", "alpha").file("b.txt", "beta").tar();
    second[1024 + 1] = 'x';
    assertEquals("not a tar archive: header checksum mismatch at byte 1024",
        assertThrows(IOException.class, () -> entries(second)).getMessage(), "the offset names the header");
  }

  @Test
  void aDamagedPaxHeaderIsNotATar() {
    byte[] tar = TestLayers.layer().file(LONG, "x").tar();
    String text = new String(tar, StandardCharsets.ISO_8859_1);
    int record = text.indexOf(" path=");
    assertTrue(record > 512, "the PAX block follows its header");
    assertEquals('9', tar[record - 1], "the record is 229 bytes long");
    tar[record - 1] = '8'; // one byte short: the record no longer ends with its newline
    String message = assertThrows(IOException.class, () -> entries(tar)).getMessage();
    assertTrue(message.startsWith("not a tar archive: bad header at byte 0 ("), message);
  }

  @Test
  void randomBytesAndTextAreNotATar() {
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);
    byte[] text = "this is not a layer".repeat(100).getBytes(StandardCharsets.UTF_8);
    byte[] letters = new byte[1024];
    Arrays.fill(letters, (byte) 'z');
    for (byte[] blob : List.of(noise, text, letters)) {
      String message = assertThrows(IOException.class, () -> summary(blob)).getMessage();
      assertTrue(message.startsWith("not a tar archive: ") && message.contains(" at byte 0"), message);
    }
  }

  @Test
  void anArchiveCutInsideAnEntryFailsNamingIt() {
    byte[] tar = TestLayers.layer().file("data.bin", new byte[10_000]).file("next", "x").tar();
    byte[] cut = Arrays.copyOf(tar, 512 + 5_000);
    EOFException read = assertThrows(EOFException.class, () -> entries(cut));
    assertEquals("tar archive truncated inside /data.bin", read.getMessage());
    EOFException skipped = assertThrows(EOFException.class, () -> summary(cut));
    assertEquals("tar archive truncated inside /data.bin", skipped.getMessage(), "unread content is skipped with the same check");
  }

  @Test
  void anArchiveCutInsideAHeaderFails() {
    // commons-compress reads a header cut short as the end of the archive; a layer must not end so.
    byte[] tar = TestLayers.layer().file("a", "alpha").file("b", "beta").tar();
    byte[] cut = Arrays.copyOf(tar, 1024 + 100);
    assertEquals("tar archive truncated at byte 1124", assertThrows(EOFException.class, () -> summary(cut)).getMessage());
    assertEquals("tar archive truncated at byte 1124", assertThrows(EOFException.class, () -> entries(cut)).getMessage());
  }

  @Test
  void aDamagedOrShortGzipStreamFails() {
    byte[] gzip = TestLayers.layer().file("a", new byte[100_000]).gzip();
    byte[] crc = gzip.clone();
    crc[crc.length - 5] ^= 0x55;
    assertEquals("Gzip-compressed data is corrupt (CRC32 error)", assertThrows(IOException.class, () -> summary(crc)).getMessage(),
        "a damaged gzip trailer is an error: the stream is read to its end");

    byte[] cut = Arrays.copyOf(gzip, gzip.length - 10);
    IOException shortStream = assertThrows(IOException.class, () -> summary(cut));
    assertInstanceOf(EOFException.class, shortStream);
    assertEquals("the gzip stream ends early", shortStream.getMessage());

    byte[] trailing = Arrays.copyOf(gzip, gzip.length + 4);
    trailing[gzip.length] = 'x';
    assertEquals("Garbage after a valid .gz stream", assertThrows(IOException.class, () -> summary(trailing)).getMessage());

    byte[] noise = new byte[2048];
    new Random(5).nextBytes(noise);
    noise[0] = 0x1f;
    noise[1] = (byte) 0x8b; // gzip magic, then garbage
    assertTrue(assertThrows(IOException.class, () -> summary(noise)).getMessage().contains(".gz header"));
  }

  @Test
  void aGzipStreamWithAnUnreadableTarNamesTheTar() throws IOException {
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(blob)) {
      gzip.write("this is not a layer".repeat(100).getBytes(StandardCharsets.UTF_8));
    }
    String message = assertThrows(IOException.class, () -> summary(blob.toByteArray())).getMessage();
    assertTrue(message.startsWith("not a tar archive: "), message);
  }

  // ---- bounds ----

  /** GNU tar's PAX sparse archive of {@code copies} files of {@code size} bytes, holes but for "secret" at 1 MiB. */
  private static byte[] sparseTar(Path dir, int copies, long size) throws IOException, InterruptedException {
    Path files = Files.createDirectories(dir.resolve("files"));
    List<String> command = new ArrayList<>(List.of("tar", "--sparse", "--format=pax", "-cf", dir.resolve("sparse.tar").toString(), "-C", files.toString()));
    for (int i = 1; i <= copies; i++) {
      try (RandomAccessFile file = new RandomAccessFile(files.resolve("f" + i).toFile(), "rw")) {
        file.seek(1 << 20);
        file.write("secret".getBytes(StandardCharsets.US_ASCII));
        file.setLength(size);
      }
      command.add("f" + i);
    }
    Process tar = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, tar.waitFor(), output);
    return Files.readAllBytes(dir.resolve("sparse.tar"));
  }

  @Test
  void aSparseFileReadsAsItsExtractedContentAndCountsItsFullSize(@TempDir Path dir) throws Exception {
    long size = 2_147_483_000L; // the largest commons-compress parses in a PAX sparse map
    byte[] tar = sparseTar(dir, 2, size);
    assertTrue(tar.length < 64 << 10, "the archive holds the data blocks only: " + tar.length);
    List<String> seen = new ArrayList<>();
    LayerSummary summary = LayerReader.read(new ByteArrayInputStream(tar), (entry, content) -> {
      byte[] head = content.readNBytes((1 << 20) + 6);
      seen.add(entry.path() + " " + entry.type() + " " + entry.size() + " " + new String(head, (1 << 20), 6, StandardCharsets.US_ASCII));
    });
    assertEquals(List.of("/f1 FILE " + size + " secret", "/f2 FILE " + size + " secret"), seen,
        "a sparse file is a regular file of its full size, its holes zeros; the unread rest is skipped, not read");
    assertEquals(2 * size, summary.fileSize());
    assertEquals(tar.length, summary.uncompressedSize());
  }

  @Test
  void aLayerWhoseFilesExtractPastTheBoundIsRefusedBeforeReadingThem(@TempDir Path dir) throws Exception {
    byte[] tar = sparseTar(dir, 3, 1L << 30);
    List<String> visited = new ArrayList<>();
    LayerReader.TooLarge tooLarge = assertThrows(LayerReader.TooLarge.class,
        () -> LayerReader.read(new ByteArrayInputStream(tar), (entry, content) -> visited.add(entry.path()), (5L << 30) / 2));
    assertEquals("its files add up to more than 2684354560 bytes once extracted (/f3 alone is 1073741824 bytes)", tooLarge.getMessage());
    assertEquals(List.of("/f1", "/f2"), visited);
    assertEquals(3L << 30, LayerReader.read(new ByteArrayInputStream(tar), (entry, content) -> {}, 3L << 30).fileSize(), "at the bound it is read");
  }

  @Test
  void aLayerThatDecompressesPastTheBoundIsRefused() throws IOException {
    // Headers alone, no file content: only the tar stream's bound catches them.
    TestLayers layer = TestLayers.layer();
    for (int i = 0; i < 3000; i++) {
      layer.directory("d" + i);
    }
    byte[] gzip = layer.gzip();
    assertTrue(gzip.length < 64 << 10);
    LayerReader.TooLarge tooLarge = assertThrows(LayerReader.TooLarge.class,
        () -> LayerReader.read(new ByteArrayInputStream(gzip), (entry, content) -> {}, 1 << 20));
    assertEquals("it decompresses to more than 1048576 bytes", tooLarge.getMessage());
  }

  @Test
  void readingStopsWhenTheThreadIsInterrupted() throws IOException {
    byte[] tar = TestLayers.layer().file("a", new byte[1 << 20]).tar();
    try {
      assertThrows(InterruptedIOException.class, () -> LayerReader.read(new ByteArrayInputStream(tar), (entry, content) -> {
        Thread.currentThread().interrupt();
        content.read();
      }));
    } finally {
      assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
    }
  }

  /** A POSIX ustar header block with a correct checksum: name, prefix, typeflag, a raw 12-byte size field. */
  private static byte[] header(String name, String prefix, char type, byte[] size) {
    byte[] block = new byte[512];
    put(block, 0, name);
    put(block, 100, "0000644\0");
    put(block, 108, "0000000\0");
    put(block, 116, "0000000\0");
    System.arraycopy(size, 0, block, 124, 12);
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

  private static byte[] octal(long value) {
    return String.format("%011o\0", value).getBytes(StandardCharsets.US_ASCII);
  }

  private static void put(byte[] block, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, block, offset, bytes.length);
  }
}
