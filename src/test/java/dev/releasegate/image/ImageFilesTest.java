package dev.releasegate.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Layers applied in order, as a container runtime would: replacement, whiteouts, links; and what a deletion leaves shipped. */
class ImageFilesTest {
  private static ImageFiles<String> merge(TestLayers... layers) {
    List<LayerChanges<String>> read = new ArrayList<>();
    for (TestLayers layer : layers) {
      read.add(TestLayers.read(layer.gzip(), TestLayers.TEXT));
    }
    return ImageFiles.merge(read);
  }

  @Test
  void aWhiteoutDeletesAFileAndEverythingUnderAFolderOfLowerLayers() {
    ImageFiles<String> files = merge(
        TestLayers.layer()
            .file("app/libs/a-1.0.jar", "a")
            .file("app/libs/b-1.0.jar", "b")
            .file("opt/tools/lib/c-1.0.jar", "c")
            .file("opt/toolsmith", "not under /opt/tools")
            .file("var/lib/dpkg/status.d/foo", "Package: foo\n"),
        TestLayers.layer()
            .directory("./")
            .whiteout("app/libs/a-1.0.jar")
            .whiteout("opt/tools")
            .file("var/lib/dpkg/status.d/bar", "Package: bar\n"));

    assertEquals(List.of("/app/libs/b-1.0.jar", "/opt/toolsmith", "/var/lib/dpkg/status.d/bar", "/var/lib/dpkg/status.d/foo"),
        List.copyOf(files.files().keySet()), "the root folder entry of the upper layer replaces nothing");
  }

  @Test
  void anOpaqueWhiteoutEmptiesAFolderOfLowerLayersButKeepsItsOwnLayer() {
    ImageFiles<String> files = merge(
        TestLayers.layer().file("app/libs/old-1.0.jar", "old").file("app/other-1.0.jar", "other"),
        // The new file comes before the marker in the tar: the marker still only hides lower layers.
        TestLayers.layer().file("app/libs/new-2.0.jar", "new").opaque("app/libs"));

    assertEquals(List.of("/app/libs/new-2.0.jar", "/app/other-1.0.jar"), List.copyOf(files.files().keySet()));
  }

  @Test
  void aLayerThatDeletesAndAddsKeepsWhatItAdds() {
    ImageFiles<String> files = merge(
        TestLayers.layer().file("usr/bin/bash", "old").file("usr/bin/dpkg", "elf"),
        TestLayers.layer().opaque("usr/bin").file("usr/bin/bash", "new"));
    assertEquals(Map.of("/usr/bin/bash", "new"), files.files());
  }

  @Test
  void aLaterFileReplacesAnEarlierOneAndAFileReplacesAFolder() {
    ImageFiles<String> files = merge(
        TestLayers.layer().file("etc/os-release", "VERSION_ID=11\n").file("opt/plugins/x-1.0.jar", "x"),
        TestLayers.layer().file("etc/os-release", "VERSION_ID=12\n").file("opt/plugins", "now a file"));

    assertEquals(Optional.of("VERSION_ID=12\n"), files.find("/etc/os-release"));
    assertEquals(Optional.empty(), files.find("/opt/plugins/x-1.0.jar"), "the folder it was in became a file");
    assertEquals(Optional.of("now a file"), files.find("/opt/plugins"));
  }

  @Test
  void aFolderReplacesALinkButNotTheLowerContentOfAFolder() {
    ImageFiles<String> files = merge(
        TestLayers.layer().symlink("usr/share/doc/libgcc-s1", "gcc-12-base").file("etc/app/a.conf", "a"),
        TestLayers.layer().directory("usr/share/doc/libgcc-s1").directory("etc/app").file("etc/app/b.conf", "b"));

    assertEquals(Map.of(), files.symlinks());
    assertEquals(List.of("/etc/app/a.conf", "/etc/app/b.conf"), List.copyOf(files.files().keySet()));
  }

  @Test
  void symbolicLinksResolveInEveryComponentAndHardLinksCopy() {
    ImageFiles<String> files = merge(TestLayers.layer()
        .file("usr/lib/os-release", "ID=debian\n")
        .symlink("etc/os-release", "../usr/lib/os-release")
        .file("usr/share/doc/gcc-12-base/copyright", "GPL-3+")
        .symlink("usr/share/doc/libgcc-s1", "gcc-12-base")
        .symlink("usr/lib64", "/usr/lib")
        .symlink("loop/a", "b")
        .symlink("loop/b", "a")
        .file("srv/app-1.0.jar", "jar")
        .hardlink("srv/copy-1.0.jar", "srv/app-1.0.jar"));

    assertEquals(Optional.of("/usr/lib/os-release"), files.resolve("/etc/os-release"));
    assertEquals(Optional.of("ID=debian\n"), files.find("/etc/os-release"));
    assertEquals(Optional.of("GPL-3+"), files.find("/usr/share/doc/libgcc-s1/copyright"), "a link in the middle of the path");
    assertEquals(Optional.of("ID=debian\n"), files.find("/usr/lib64/../lib64/os-release"));
    assertEquals(Optional.empty(), files.resolve("/loop/a"), "a link loop resolves to nothing, not forever");
    assertEquals(Optional.of("jar"), files.find("/srv/copy-1.0.jar"));
    assertEquals("../usr/lib/os-release", files.symlinks().get("/etc/os-release"));
    assertFalse(files.files().containsKey("/etc/os-release"), "a link is not a file");
  }

  @Test
  void aHardLinkKeepsWhatItsSelectorKeptOfIt() {
    FileSelector<String> selector = (entry, content) -> entry.type() == LayerEntry.Type.HARDLINK ? "link" : null;
    ImageFiles<String> files = ImageFiles.merge(List.of(TestLayers.read(
        TestLayers.layer().file("usr/bin/busybox", "elf").hardlink("bin/sh", "usr/bin/busybox").tar(), selector)));
    assertEquals(Map.of("/bin/sh", "link"), files.files());
  }

  @Test
  void aDeletedFileIsGoneButTheLayerThatDeletedItIsKnown() {
    ImageFiles<String> files = merge(
        TestLayers.layer().file("app/key.pem", "key").file("root/.ssh/id_rsa", "key").file("etc/secret", "s"),
        TestLayers.layer().file("app/readme", "hi").whiteout("etc/secret"),
        TestLayers.layer().whiteout("app/key.pem").opaque("root"));

    assertEquals(Set.of("/app/readme"), files.files().keySet());
    assertEquals(OptionalInt.of(2), files.deletedBy("/app/key.pem", 0));
    assertEquals(OptionalInt.of(2), files.deletedBy("/root/.ssh/id_rsa", 0), "inside an opaque folder");
    assertEquals(OptionalInt.of(1), files.deletedBy("/etc/secret", 0));
    assertEquals(OptionalInt.empty(), files.deletedBy("/etc/secret", 1), "a layer's whiteouts do not delete what it has itself");
    assertEquals(OptionalInt.empty(), files.deletedBy("/app/readme", 1));
  }

  @Test
  void aLayerKnowsWhatItHides() {
    LayerChanges<String> layer = TestLayers.read(
        TestLayers.layer().whiteout("usr/bin/apt").opaque("var/cache").file("usr/bin/java", "elf").tar(), TestLayers.TEXT);

    assertEquals(Set.of("/usr/bin/apt"), layer.whiteouts());
    assertEquals(Set.of("/var/cache"), layer.opaqueDirectories());
    assertTrue(layer.hides("/usr/bin/apt"));
    assertTrue(layer.hides("/usr/bin/apt/inside"));
    assertTrue(layer.hides("/var/cache/apt/archives/x.deb"));
    assertFalse(layer.hides("/var/cache"), "an opaque folder hides its content, not itself");
    assertFalse(layer.hides("/usr/bin/apt-get"), "a whiteout hides its own path and what is below it, not its neighbours");
    assertFalse(layer.hides("/usr/bin/java"));
    assertEquals(3, layer.summary().entries());
  }
}
