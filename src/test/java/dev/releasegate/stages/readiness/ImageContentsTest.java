package dev.releasegate.stages.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.releasegate.image.TestLayers;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Layers together: whiteouts decide what the container sees, never whether a shipped secret counts. */
class ImageContentsTest {

  private static ImageContents contents(TestLayers... layers) {
    byte[][] blobs = new byte[layers.length][];
    for (int i = 0; i < layers.length; i++) {
      blobs[i] = layers[i].gzip();
    }
    return LayerScannerTest.contents(blobs);
  }

  @Test
  void aShellDeletedByALaterLayerIsGone() {
    ImageContents contents = contents(
        TestLayers.layer().file("bin/sh", "elf").file("usr/bin/dpkg", "elf").file("usr/bin/apt", "elf"),
        TestLayers.layer().whiteout("bin/sh").opaque("usr/bin"));
    assertEquals(Set.of(), contents.tools());
  }

  @Test
  void aLayerThatDeletesAndAddsKeepsWhatItAdds() {
    // The opaque whiteout hides the lower bash; the same layer's own bash stays.
    ImageContents contents = contents(
        TestLayers.layer().file("usr/bin/bash", "old"),
        TestLayers.layer().opaque("usr/bin").file("usr/bin/bash", "new"));
    assertEquals(Set.of("/usr/bin/bash"), contents.tools());
  }

  @Test
  void aDeletedSecretIsStillReportedWithTheLayerThatShipsIt() {
    ImageContents contents = contents(
        TestLayers.layer().file("app/key.pem", LayerScannerTest.PEM_KEY),
        TestLayers.layer().file("app/readme", "hi"),
        TestLayers.layer().whiteout("app/key.pem"));

    assertEquals(1, contents.secrets().size());
    assertEquals(Optional.of(3), contents.secrets().get(0).deletedBy());
    assertEquals("/app/key.pem in layer 1 (sha256:abababababab): PEM private key; deleted by layer 3 but still shipped in layer 1",
        contents.secrets().get(0).describe(contents.layers()));
  }

  @Test
  void theLastPasswdWinsAndAWhiteoutRemovesIt() {
    assertEquals(new ImageContents.PasswdFile.Found("app:x:1000:1000::/:/x\n"), contents(
        TestLayers.layer().file("etc/passwd", "root:x:0:0::/:/x\n"),
        TestLayers.layer().file("etc/passwd", "app:x:1000:1000::/:/x\n")).passwd());
    assertEquals(new ImageContents.PasswdFile.Unusable("the image has no /etc/passwd"), contents(
        TestLayers.layer().file("etc/passwd", "root:x:0:0::/:/x\n"),
        TestLayers.layer().whiteout("etc/passwd")).passwd());
  }

  @Test
  void sizesAddUpOverLayers() {
    ImageContents contents = contents(TestLayers.layer().file("a", new byte[1000]), TestLayers.layer().file("b", new byte[2000]));
    assertEquals(contents.layers().get(0).size() + contents.layers().get(1).size(), contents.size());
    assertEquals(contents.layers().get(0).uncompressedSize() + contents.layers().get(1).uncompressedSize(), contents.uncompressedSize());
  }
}
