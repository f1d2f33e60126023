package dev.releasegate.stages.cyclonedx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.releasegate.base.Digests;
import dev.releasegate.image.LayerChanges;
import dev.releasegate.image.TestLayers;
import dev.releasegate.stages.cyclonedx.SbomFiles.Tracked;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the SBOM keeps of an image's files, read from layer blobs as the stage reads them. */
class SbomFilesTest {
  private static final byte[] JAR = TestJars.mavenJar("com.acme", "a", "1.0", null);

  /** Reads gzip layer blobs, one selector each, and merges them, as the stage does with the registry's blobs. */
  static SbomFiles.Merged read(List<byte[]> blobs) {
    List<SbomFiles> selectors = new ArrayList<>();
    List<LayerChanges<Tracked>> layers = new ArrayList<>();
    for (byte[] blob : blobs) {
      SbomFiles selector = new SbomFiles("/app");
      selectors.add(selector);
      layers.add(TestLayers.read(blob, selector));
    }
    return SbomFiles.Merged.of("/app", selectors, layers);
  }

  private static SbomFiles.Merged read(TestLayers... layers) {
    List<byte[]> blobs = new ArrayList<>();
    for (TestLayers layer : layers) {
      blobs.add(layer.gzip());
    }
    return read(blobs);
  }

  @Test
  void onlyWhatIdentifiesSoftwareIsKept() {
    SbomFiles.Merged files = read(TestLayers.layer()
        .file("var/lib/dpkg/status.d/libc6", DebianTest.LIBC6)
        .file("var/lib/dpkg/status.d/libc6.md5sums", "d41d8cd98f00b204e9800998ecf8427e  lib/x86_64-linux-gnu/libc.so.6\n")
        .file("opt/java/openjdk/release", "JAVA_VERSION=\"17.0.15\"\nIMPLEMENTOR=\"Debian\"\n")
        .file("usr/lib/release", "not a java release file\n")
        .file("app/classes/com/acme/Main.class", "cafe")
        .file("app/resources/application.properties", "port=8080\n")
        .file("usr/bin/unrelated", "binary"));

    assertEquals(List.of("/app/classes/com/acme/Main.class", "/app/resources/application.properties", "/opt/java/openjdk/release",
        "/var/lib/dpkg/status.d/libc6"), List.copyOf(files.tree().files().keySet()),
        "md5sums, other release files and unrelated files are not kept");
    SbomFiles.AppFile main = (SbomFiles.AppFile) files.tree().files().get("/app/classes/com/acme/Main.class");
    assertEquals(Digests.sha256Hex("cafe".getBytes()), main.sha256());
    assertEquals(4, main.size());
    assertEquals(List.of(), files.warnings());
  }

  @Test
  void theFullDpkgDatabaseIsReadLikeStatusD() {
    SbomFiles.Merged files = read(TestLayers.layer()
        .file("var/lib/dpkg/status", "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\nArchitecture: amd64\n\n"
            + "Package: old\nStatus: deinstall ok config-files\nVersion: 1\n"));
    SbomFiles.StatusFile status = (SbomFiles.StatusFile) files.tree().find("/var/lib/dpkg/status").orElseThrow();
    assertEquals(List.of("bash"), status.packages().stream().map(Dpkg.Package::name).toList());
  }

  @Test
  void aLaterOsReleaseReplacesTheEarlierOne() {
    SbomFiles.Merged files = read(
        TestLayers.layer().file("etc/os-release", "ID=debian\nVERSION_ID=11\n"),
        TestLayers.layer().file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"));

    SbomFiles.KeyValues release = (SbomFiles.KeyValues) files.tree().find("/etc/os-release").orElseThrow();
    assertEquals(Map.of("ID", "debian", "VERSION_ID", "12"), release.values());
  }

  @Test
  void licencesAndReleasesAreFoundThroughLinksAndHardLinkedJarsAreTheSameJar() {
    SbomFiles.Merged files = read(TestLayers.layer()
        .file("usr/lib/os-release", "ID=debian\n")
        .symlink("etc/os-release", "../usr/lib/os-release")
        .file("usr/share/doc/gcc-12-base/copyright", "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: GPL-3+\n")
        .symlink("usr/share/doc/libgcc-s1", "gcc-12-base")
        .file("srv/app-1.0.jar", JAR)
        .hardlink("srv/copy-1.0.jar", "srv/app-1.0.jar"));

    assertInstanceOf(SbomFiles.KeyValues.class, files.tree().find("/etc/os-release").orElseThrow());
    SbomFiles.Copyright copyright = (SbomFiles.Copyright) files.tree().find("/usr/share/doc/libgcc-s1/copyright").orElseThrow();
    assertEquals(Optional.of(List.of("GPL-3+")), copyright.licenses());
    SbomFiles.JarFile copy = (SbomFiles.JarFile) files.tree().find("/srv/copy-1.0.jar").orElseThrow();
    assertEquals(Digests.sha256Hex(JAR), copy.info().sha256());
  }

  @Test
  void aRecordTooLargeToReadIsLeftOutWithAWarning() {
    byte[] huge = new byte[(1 << 20) + 1];
    SbomFiles.Merged files = read(
        TestLayers.layer().file("var/lib/dpkg/status.d/base", "Package: base\nVersion: 1\n"),
        TestLayers.layer().file("var/lib/dpkg/status.d/huge", huge));

    assertEquals(List.of("/var/lib/dpkg/status.d/base"), List.copyOf(files.tree().files().keySet()));
    assertEquals(List.of("/var/lib/dpkg/status.d/huge is 1048577 bytes, more than the 1048576 read; it was left out"), files.warnings());
  }
}
