package dev.releasegate.evidence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle as one tar: the same bundle gives the same bytes, and hostile archives are refused. */
class EvidenceArchiveTest {
  @TempDir Path work;

  private Path bundle() throws IOException {
    Path root = work.resolve("bundle");
    Files.createDirectories(root.resolve("statements"));
    Files.createDirectories(root.resolve("artifacts/test/reports/a-very-long-folder-name-that-goes-on-and-on-and-on-and-on-and-on-and-on"));
    Files.writeString(root.resolve("bundle.json"), "{\"formatVersion\":2}");
    Files.writeString(root.resolve("statements/01-test.dsse.json"), "{}");
    Files.writeString(root.resolve(
        "artifacts/test/reports/a-very-long-folder-name-that-goes-on-and-on-and-on-and-on-and-on-and-on/TEST-some.long.ClassNameTest.xml"), "<x/>");
    Files.writeString(root.resolve(EvidenceLayout.JOURNAL), "left out");
    return root;
  }

  @Test
  void packsEveryFileButTheJournalInTheSameBytesEveryTimeAndUnpacksThemAsTheyWere() throws IOException {
    Path root = bundle();
    byte[] first = EvidenceArchive.pack(root);
    Files.setLastModifiedTime(root.resolve("bundle.json"), java.nio.file.attribute.FileTime.fromMillis(1));
    assertArrayEquals(first, EvidenceArchive.pack(root), "times and owners do not change the bytes");

    Path target = Files.createDirectories(work.resolve("unpacked"));
    EvidenceArchive.unpack(new ByteArrayInputStream(first), target);
    assertEquals("{\"formatVersion\":2}", Files.readString(target.resolve("bundle.json")));
    assertEquals("<x/>", Files.readString(target.resolve(
        "artifacts/test/reports/a-very-long-folder-name-that-goes-on-and-on-and-on-and-on-and-on-and-on/TEST-some.long.ClassNameTest.xml")));
    assertFalse(Files.exists(target.resolve(EvidenceLayout.JOURNAL)));
  }

  @Test
  void pathsThatLeaveTheFolderAreRefused() throws IOException {
    for (String name : new String[] {"../escape", "a/../../escape", "/etc/passwd", "a//b", "./a"}) {
      IOException refused = assertThrows(IOException.class, () -> unpack(tar(entry(name, "x"))), name);
      assertTrue(refused.getMessage().contains("relative path"), refused.getMessage());
    }
    assertFalse(Files.exists(work.resolve("escape")));
  }

  @Test
  void linksDevicesAndRepeatedNamesAreRefused() {
    assertTrue(assertThrows(IOException.class, () -> unpack(tar(tar -> {
      TarArchiveEntry link = new TarArchiveEntry("link", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("/etc/passwd");
      put(tar, link, new byte[0]);
    }))).getMessage().contains("is not a regular file"));
    assertTrue(assertThrows(IOException.class, () -> unpack(tar(tar -> {
      TarArchiveEntry hard = new TarArchiveEntry("hard", TarArchiveEntry.LF_LINK);
      hard.setLinkName("bundle.json");
      put(tar, hard, new byte[0]);
    }))).getMessage().contains("is not a regular file"));
    assertTrue(assertThrows(IOException.class, () -> unpack(tar(tar -> {
      put(tar, entry("bundle.json", "1"), "1".getBytes(StandardCharsets.UTF_8));
      put(tar, entry("bundle.json", "2"), "2".getBytes(StandardCharsets.UTF_8));
    }))).getMessage().contains("appears twice"));
  }

  @Test
  void truncatedEmptyAndNonTarInputIsRefused() throws IOException {
    byte[] whole = EvidenceArchive.pack(bundle());
    assertThrows(IOException.class, () -> unpack(Arrays.copyOf(whole, 700)));
    assertThrows(IOException.class, () -> unpack(new byte[0]));
    assertThrows(IOException.class, () -> unpack("not a tar at all".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void anArchiveLargerThanTheBoundIsRefusedBeforeItIsWritten() {
    IOException refused = assertThrows(IOException.class, () -> unpack(tar(tar -> {
      TarArchiveEntry huge = new TarArchiveEntry("huge");
      huge.setSize(EvidenceArchive.MAX_BYTES + 1);
      try {
        tar.putArchiveEntry(huge);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    })));
    assertTrue(refused.getMessage().contains("more than " + EvidenceArchive.MAX_BYTES + " bytes"), refused.getMessage());
    assertFalse(Files.exists(work.resolve("unpacked/huge")));
  }

  private void unpack(byte[] archive) throws IOException {
    Path target = Files.createDirectories(work.resolve("unpacked"));
    EvidenceArchive.unpack(new ByteArrayInputStream(archive), target);
  }

  private static TarArchiveEntry entry(String name, String content) {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(content.getBytes(StandardCharsets.UTF_8).length);
    return entry;
  }

  private static byte[] tar(TarArchiveEntry entry) {
    return tar(tar -> put(tar, entry, "x".getBytes(StandardCharsets.UTF_8)));
  }

  private static void put(TarArchiveOutputStream tar, TarArchiveEntry entry, byte[] content) {
    try {
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] tar(Consumer<TarArchiveOutputStream> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      entries.accept(tar);
      tar.flush();
      bytes.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
