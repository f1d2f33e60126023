package dev.releasegate.stages.cyclonedx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.evidence.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Layers applied in order, as a container runtime would: replacement, whiteouts, links. */
class ImageFilesTest {
  private static final byte[] JAR = TestLayers.mavenJar("com.acme", "a", "1.0", null);

  @Test
  void whiteoutDeletesAFileAndEverythingUnderADirectoryOfLowerLayers() throws IOException {
    ImageFiles files = new ImageFiles("/app");
    files.apply(0, stream(TestLayers.layer()
        .file("app/libs/a-1.0.jar", JAR)
        .file("app/libs/b-1.0.jar", JAR)
        .file("opt/tools/lib/c-1.0.jar", JAR)
        .file("var/lib/dpkg/status.d/foo", "Package: foo\nVersion: 1\n")
        .tar()));
    files.apply(1, stream(TestLayers.layer()
        .whiteout("app/libs/a-1.0.jar")
        .whiteout("opt/tools")
        .file("var/lib/dpkg/status.d/bar", "Package: bar\nVersion: 2\n")
        .tar()));

    assertEquals(List.of("/app/libs/b-1.0.jar", "/var/lib/dpkg/status.d/bar", "/var/lib/dpkg/status.d/foo"),
        List.copyOf(files.files().keySet()));
  }

  @Test
  void opaqueWhiteoutEmptiesADirectoryOfLowerLayersButKeepsItsOwnLayer() throws IOException {
    ImageFiles files = new ImageFiles("/app");
    files.apply(0, stream(TestLayers.layer().file("app/libs/old-1.0.jar", JAR).file("app/other-1.0.jar", JAR).tar()));
    // The new file comes before the marker in the tar: the marker still only hides lower layers.
    files.apply(1, stream(TestLayers.layer().file("app/libs/new-2.0.jar", JAR).opaque("app/libs").tar()));

    assertEquals(List.of("/app/libs/new-2.0.jar", "/app/other-1.0.jar"), List.copyOf(files.files().keySet()));
  }

  @Test
  void laterFileReplacesEarlierOneAndAFileReplacesADirectory() throws IOException {
    ImageFiles files = new ImageFiles("/app");
    files.apply(0, stream(TestLayers.layer()
        .file("etc/os-release", "ID=debian\nVERSION_ID=11\n")
        .file("opt/plugins/x-1.0.jar", JAR)
        .tar()));
    files.apply(1, stream(TestLayers.layer()
        .file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
        .file("opt/plugins", "now a file")
        .tar()));

    ImageFiles.KeyValues release = (ImageFiles.KeyValues) files.find("/etc/os-release").orElseThrow();
    assertEquals(Map.of("ID", "debian", "VERSION_ID", "12"), release.values());
    assertEquals(1, release.layer());
    assertTrue(files.find("/opt/plugins/x-1.0.jar").isEmpty(), "the directory it was in became a file");
  }

  @Test
  void symbolicLinksResolveInEveryComponentAndHardLinksCopy() throws IOException {
    ImageFiles files = new ImageFiles("/app");
    files.apply(0, stream(TestLayers.layer()
        .file("usr/lib/os-release", "ID=debian\n")
        .symlink("etc/os-release", "../usr/lib/os-release")
        .file("usr/share/doc/gcc-12-base/copyright", "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: GPL-3+\n")
        .symlink("usr/share/doc/libgcc-s1", "gcc-12-base")
        .symlink("loop/a", "b")
        .symlink("loop/b", "a")
        .file("srv/app-1.0.jar", JAR)
        .hardlink("srv/copy-1.0.jar", "srv/app-1.0.jar")
        .tar()));

    assertEquals(Optional.of("/usr/lib/os-release"), files.resolve("/etc/os-release"));
    assertInstanceOf(ImageFiles.KeyValues.class, files.find("/etc/os-release").orElseThrow());
    ImageFiles.Copyright copyright = (ImageFiles.Copyright) files.find("/usr/share/doc/libgcc-s1/copyright").orElseThrow();
    assertEquals(Optional.of(List.of("GPL-3+")), copyright.licenses());
    assertEquals(Optional.empty(), files.resolve("/loop/a"), "a link loop resolves to nothing, not forever");
    ImageFiles.JarFile copy = (ImageFiles.JarFile) files.find("/srv/copy-1.0.jar").orElseThrow();
    assertEquals(Digests.sha256Hex(JAR), copy.info().sha256());
  }

  @Test
  void onlyPackageRecordsAreRead() throws IOException {
    ImageFiles files = new ImageFiles("/app");
    files.apply(0, stream(TestLayers.layer()
        .file("var/lib/dpkg/status.d/libc6", DebianTest.LIBC6)
        .file("var/lib/dpkg/status.d/libc6.md5sums", "d41d8cd98f00b204e9800998ecf8427e  lib/x86_64-linux-gnu/libc.so.6\n")
        .file("opt/java/openjdk/release", "JAVA_VERSION=\"17.0.15\"\nIMPLEMENTOR=\"Debian\"\n")
        .file("usr/lib/release", "not a java release file\n")
        .file("app/classes/com/acme/Main.class", "cafe")
        .file("app/resources/application.properties", "port=8080\n")
        .file("usr/bin/unrelated", "binary")
        .tar()));

    assertEquals(List.of("/app/classes/com/acme/Main.class", "/app/resources/application.properties", "/opt/java/openjdk/release",
        "/var/lib/dpkg/status.d/libc6"), List.copyOf(files.files().keySet()), "md5sums, other release files and unrelated files are not kept");
    ImageFiles.AppFile main = (ImageFiles.AppFile) files.files().get("/app/classes/com/acme/Main.class");
    assertEquals(Digests.sha256Hex("cafe".getBytes()), main.sha256());
  }

  @Test
  void fullDpkgDatabaseIsReadLikeStatusD() throws IOException {
    ImageFiles files = new ImageFiles("/app");
    files.apply(0, stream(TestLayers.layer()
        .file("var/lib/dpkg/status", "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\nArchitecture: amd64\n\n"
            + "Package: old\nStatus: deinstall ok config-files\nVersion: 1\n")
        .tar()));
    ImageFiles.StatusFile status = (ImageFiles.StatusFile) files.find("/var/lib/dpkg/status").orElseThrow();
    assertEquals(List.of("bash"), status.packages().stream().map(Dpkg.Package::name).toList());
  }

  @Test
  void gzipAndPlainTarBlobsGiveTheTarsDiffId() throws IOException {
    byte[] tar = TestLayers.layer().file("var/lib/dpkg/status.d/libc6", DebianTest.LIBC6).tar();
    String expected = "sha256:" + Digests.sha256Hex(tar);
    assertEquals(expected, new ImageFiles("/app").applyBlob(0, new ByteArrayInputStream(TestLayers.gzip(tar))));
    assertEquals(expected, new ImageFiles("/app").applyBlob(0, new ByteArrayInputStream(tar)));
  }

  @Test
  void blobsThatAreNotLayersAreRefusedWithTheReason() {
    byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
    IOException zstdError = assertThrows(IOException.class, () -> new ImageFiles("/app").applyBlob(0, new ByteArrayInputStream(zstd)));
    assertEquals("it is zstd-compressed, which this stage cannot read (gzip and plain tar only)", zstdError.getMessage());

    byte[] noise = new byte[2048];
    new Random(5).nextBytes(noise);
    noise[0] = 0x1f;
    noise[1] = (byte) 0x8b; // gzip magic, then garbage
    assertThrows(IOException.class, () -> new ImageFiles("/app").applyBlob(0, new ByteArrayInputStream(noise)));
  }

  private static ByteArrayInputStream stream(byte[] tar) {
    return new ByteArrayInputStream(tar);
  }
}
