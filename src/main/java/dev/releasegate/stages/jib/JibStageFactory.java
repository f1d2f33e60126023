package dev.releasegate.stages.jib;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.spi.BaseStageFactory;
import dev.releasegate.spi.OptionSchema;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.Problems;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.OptionProblems;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code uses: jib} — builds the service image in process with jib-core and stores it by digest only. */
public final class JibStageFactory extends BaseStageFactory {
  public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";

  static final OptionSchema OPTIONS =
      OptionSchema.of(
          OptionSpec.command("buildCommand", "The project build, run first; it must leave classes and runtime dependency jars.")
              .defaultValue(List.of("mvn", "-B", "-q", "-DskipTests", "package", "dependency:copy-dependencies", "-DincludeScope=runtime")),
          OptionSpec.integer("timeoutSeconds", "Deadline of the build command.").defaultValue(1800).range(1, 86_400),
          OptionSpec.string("classes", "Compiled classes and resources, relative to the project.").defaultValue("target/classes"),
          OptionSpec.string("dependencies", "Folder of runtime dependency jars, relative to the project.").defaultValue("target/dependency"),
          OptionSpec.string("mainClass", "Main class; default: Main-Class of the project's jar in target/."),
          OptionSpec.stringList("jvmFlags", "JVM flags of the entrypoint; container-aware memory by default.")
              .defaultValue(List.of("-XX:MaxRAMPercentage=75.0", "-XX:+ExitOnOutOfMemoryError")),
          OptionSpec.stringList("ports", "Exposed ports, e.g. 8080 or 8080/tcp.").defaultValue(List.of("8080")),
          OptionSpec.string("user", "User the process runs as; numeric and non-root by default.").defaultValue("65532"),
          OptionSpec.string("appRoot", "Where the application goes in the image; also the working directory.").defaultValue("/app"),
          OptionSpec.stringMap("environment", "Extra environment variables of the image."),
          OptionSpec.string("title", "org.opencontainers.image.title; default: the repository's last path segment."),
          OptionSpec.string("format", "Image format.").defaultValue("OCI").allowed("OCI", "Docker"));

  public JibStageFactory() {
    super("jib", StageKind.GATE, "builds the image with jib-core (OCI labels, reproducible) and stores it in the registry by digest, untagged", PREDICATE_TYPE, OPTIONS);
  }

  @Override
  public Set<OutputKey<?>> produces(StageOptions options) {
    return Set.of(Outputs.IMAGE);
  }

  @Override
  public void check(StageOptions options, Problems problems) {
    JibOptions.read(options, new OptionProblems(problems));
  }

  @Override
  public Optional<PredicateReader> predicateReader() {
    return Optional.of(new ProvenanceReader());
  }

  @Override
  public Stage create(StageOptions options) {
    return new JibStage(JibOptions.from(options));
  }

  /** The SLSA provenance names the base image among its resolved dependencies, by {@code oci://} URI and sha256. */
  @Override
  public Optional<String> baseImageDigest(JsonNode predicate) {
    for (JsonNode dependency : predicate.path("buildDefinition").path("resolvedDependencies")) {
      if (dependency.path("uri").asText("").startsWith("oci://") && dependency.path("digest").has("sha256")) {
        return Optional.of("sha256:" + dependency.path("digest").path("sha256").asText());
      }
    }
    return Optional.empty();
  }
}
