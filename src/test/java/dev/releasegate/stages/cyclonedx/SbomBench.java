package dev.releasegate.stages.cyclonedx;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.testing.Examples;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * Performance figures of the cyclonedx stage, run by {@code scripts/bench-sbom} (which measures peak
 * RSS around the {@code sbom} mode with /usr/bin/time). Prints figures; asserts nothing.
 *
 * <pre>
 * SbomBench hello REGISTRY BASE          build and push hello-service with the jib stage; print REF@DIGEST
 * SbomBench synthetic REGISTRY MEGABYTES push a one-layer image of that many MB (random data + one big jar); print REF@DIGEST
 * SbomBench sbom REF@DIGEST OUT          run the cyclonedx stage on it in a real release; copy the SBOM to OUT
 * </pre>
 */
public final class SbomBench {
  private SbomBench() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("sbom-bench");
    String result = switch (args[0]) {
      case "hello" -> hello(work, args[1], args[2]);
      case "synthetic" -> synthetic(work, args[1], Integer.parseInt(args[2]));
      case "sbom" -> sbom(work, args[1], Path.of(args[2]));
      default -> throw new IllegalArgumentException("usage: SbomBench hello|synthetic|sbom ...");
    };
    System.out.println(result);
    System.exit(0); // jib leaves non-daemon threads behind
  }

  private static String hello(Path work, String registry, String base) throws IOException {
    Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("hello"));
    Path pipeline = work.resolve("pipeline.yaml");
    Files.writeString(pipeline, "apiVersion: releasegate/v1\nstages:\n  - {name: build, uses: jib}\n");
    ReleaseResult result = Releases.run(Releases.request(project, TestKeys.write(work, "signer"), work.resolve("evidence"))
        .imageRepository(registry + "/hello").baseImage(base).insecureRegistry(true).pipelineFile(pipeline).version("1.0.0").build())
        .result();
    if (result.status() != ReleaseStatus.RELEASED) {
      throw new IllegalStateException("building hello-service failed: " + result.stages());
    }
    return registry + "/hello@" + result.digest().orElseThrow();
  }

  /** A scratch image with one layer: random bytes (incompressible, so the blob is as large) and a 64 MB jar. */
  private static String synthetic(Path work, String registry, int megabytes) throws Exception {
    int jarMegabytes = Math.min(64, megabytes / 4);
    Random random = new Random(42);
    byte[] chunk = new byte[1 << 20];
    Path data = work.resolve("data.bin");
    try (OutputStream out = Files.newOutputStream(data)) {
      for (int i = 0; i < megabytes - jarMegabytes; i++) {
        random.nextBytes(chunk);
        out.write(chunk);
      }
    }
    Path jar = work.resolve("big-1.0.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new ZipEntry(TestJars.pomPropertiesPath("com.example", "big")));
      out.write(TestJars.pomProperties("com.example", "big", "1.0"));
      for (int i = 0; i < jarMegabytes; i++) {
        out.putNextEntry(new ZipEntry("data/part-" + i + ".bin"));
        random.nextBytes(chunk);
        out.write(chunk);
      }
    }
    JibContainer container = Jib.fromScratch()
        .addFileEntriesLayer(FileEntriesLayer.builder()
            .addEntry(data, AbsoluteUnixPath.get("/data/data.bin"))
            .addEntry(jar, AbsoluteUnixPath.get("/app/libs/big-1.0.jar"))
            .build())
        .setCreationTime(Instant.EPOCH)
        .containerize(Containerizer.to(RegistryImage.named(registry + "/synthetic"))
            .setAllowInsecureRegistries(true)
            .setBaseImageLayersCache(work.resolve("cache"))
            .setApplicationLayersCache(work.resolve("cache")));
    return registry + "/synthetic@" + container.getDigest();
  }

  private static String sbom(Path work, String reference, Path out) throws IOException {
    String repository = reference.substring(0, reference.indexOf('@'));
    String digest = reference.substring(reference.indexOf('@') + 1);
    Path project = TestRepos.create(work.resolve("project"), Map.of("releasegate.yaml",
        "apiVersion: releasegate/v1\nimage:\n  repository: " + repository + "\nstages:\n"
            + "  - {name: build, uses: fake-image, with: {digest: \"" + digest + "\"}}\n  - {name: sbom, uses: cyclonedx}\n"));
    long started = System.nanoTime();
    ReleaseResult result = Releases.run(Releases.request(project, TestKeys.write(work, "signer"), work.resolve("evidence"))
        .insecureRegistry(true).build()).result();
    long wallMs = (System.nanoTime() - started) / 1_000_000;
    StageEntry sbom = result.stages().get(1);
    if (result.status() != ReleaseStatus.RELEASED) {
      throw new IllegalStateException("the SBOM stage failed: " + sbom.reason().orElse("?"));
    }
    Files.copy(work.resolve("evidence/artifacts/sbom/bom.cdx.json"), out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return "sbom stage " + sbom.durationMs() + " ms (release in process " + wallMs + " ms): " + sbom.reason().orElse(summary(work));
  }

  private static String summary(Path work) throws IOException {
    return Files.size(work.resolve("evidence/artifacts/sbom/bom.cdx.json")) + " bytes of SBOM";
  }
}
