package dev.releasegate.stages.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Layers together: whiteouts decide what the container sees, never whether a shipped secret counts. */
class ImageFilesTest {

  private static ImageFiles merge(TestLayers... layers) {
    List<LayerReport> reports = new java.util.ArrayList<>();
    for (int i = 0; i < layers.length; i++) {
      reports.add(LayerScannerTest.scan(i + 1, layers[i].gzip()));
    }
    return ImageFiles.merge(reports);
  }

  @Test
  void aShellDeletedByALaterLayerIsGone() {
    ImageFiles files = merge(
        TestLayers.layer().file("bin/sh", "elf").file("usr/bin/dpkg", "elf").file("usr/bin/apt", "elf"),
        TestLayers.layer().whiteout("bin/sh").opaque("usr/bin"));
    assertEquals(Set.of(), files.tools());
  }

  @Test
  void aLayerThatDeletesAndAddsKeepsWhatItAdds() {
    // The opaque whiteout hides the lower bash; the same layer's own bash stays.
    ImageFiles files = merge(
        TestLayers.layer().file("usr/bin/bash", "old"),
        TestLayers.layer().opaque("usr/bin").file("usr/bin/bash", "new"));
    assertEquals(Set.of("/usr/bin/bash"), files.tools());
  }

  @Test
  void aDeletedSecretIsStillReportedWithTheLayerThatShipsIt() {
    ImageFiles files = merge(
        TestLayers.layer().file("app/key.pem", TestLayers.PEM_KEY),
        TestLayers.layer().file("app/readme", "hi"),
        TestLayers.layer().whiteout("app/key.pem"));

    assertEquals(1, files.secrets().size());
    assertEquals(Optional.of(3), files.secrets().get(0).deletedBy());
    assertEquals("/app/key.pem in layer 1 (sha256:abababababab): PEM private key; deleted by layer 3 but still shipped in layer 1",
        files.secrets().get(0).describe(files.layers()));
  }

  @Test
  void theLastPasswdWinsAndAWhiteoutRemovesIt() {
    assertEquals(Optional.of("app:x:1000:1000::/:/x\n"), merge(
        TestLayers.layer().file("etc/passwd", "root:x:0:0::/:/x\n"),
        TestLayers.layer().file("etc/passwd", "app:x:1000:1000::/:/x\n")).passwd());
    assertEquals(Optional.empty(), merge(
        TestLayers.layer().file("etc/passwd", "root:x:0:0::/:/x\n"),
        TestLayers.layer().whiteout("etc/passwd")).passwd());
  }

  @Test
  void sizesAddUpOverLayers() {
    ImageFiles files = merge(TestLayers.layer().file("a", new byte[1000]), TestLayers.layer().file("b", new byte[2000]));
    assertEquals(files.layers().get(0).size() + files.layers().get(1).size(), files.size());
    assertEquals(files.layers().get(0).uncompressedSize() + files.layers().get(1).uncompressedSize(), files.uncompressedSize());
  }
}
