package dev.releasegate.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.releasegate.base.ImageReference;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The codecs that keep outputs in the run record, so that --resume can restore them. */
class OutputCodecTest {
  private static final Path BUNDLE = Path.of("/work/evidence");

  @Test
  void theBuiltInOutputsRoundTrip() {
    ImageReference image = new ImageReference("127.0.0.1:5000/hello", "sha256:" + "ab".repeat(32));
    assertEquals(image, Outputs.IMAGE.codec().orElseThrow().decode(Outputs.IMAGE.codec().orElseThrow().encode(image, BUNDLE), BUNDLE));
    List<String> tags = List.of("1.0.0", "0123456");
    assertEquals(tags, Outputs.TAGS.codec().orElseThrow().decode(Outputs.TAGS.codec().orElseThrow().encode(tags, BUNDLE), BUNDLE));
    assertEquals(java.util.Optional.empty(), Outputs.IMAGE_LAYOUT.codec(), "a dry run's layout is not kept: a dry run is never resumed");
  }

  @Test
  void aFileInsideTheBundleIsKeptRelativeSoTheRecordSurvivesAMove() {
    OutputCodec<Path> file = OutputCodec.file();
    assertEquals("artifacts/sbom/bom.json", file.encode(BUNDLE.resolve("artifacts/sbom/bom.json"), BUNDLE).asText());
    assertEquals(Path.of("/moved/artifacts/sbom/bom.json"), file.decode(file.encode(BUNDLE.resolve("artifacts/sbom/bom.json"), BUNDLE), Path.of("/moved")));
    assertEquals("/elsewhere/bom.json", file.encode(Path.of("/elsewhere/bom.json"), BUNDLE).asText());
  }

  @Test
  void whatACodecDidNotWriteIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> OutputCodec.string().decode(IntNode.valueOf(1), BUNDLE));
    assertThrows(IllegalArgumentException.class, () -> OutputCodec.strings().decode(IntNode.valueOf(1), BUNDLE));
    assertThrows(IllegalArgumentException.class, () -> OutputCodec.image().decode(IntNode.valueOf(1), BUNDLE));
  }
}
