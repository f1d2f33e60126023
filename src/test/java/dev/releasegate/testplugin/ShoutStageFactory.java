package dev.releasegate.testplugin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.spi.OptionSchema;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.OutputCodec;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageCheck;
import dev.releasegate.spi.StageDetails;
import dev.releasegate.spi.StageFactory;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.spi.StageResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A third-party stage, known to releasegate only through this test source set's
 * META-INF/services entry: proves that plug-ins are found on the class path and run.
 */
public final class ShoutStageFactory implements StageFactory {
  public static final String PREDICATE_TYPE = "https://example.test/shout/v1";
  /** What it shouted, kept in the run record with a codec, so that {@code --resume} can hand it on again. */
  public static final OutputKey<String> SHOUTED = OutputKey.of("shouted", String.class, OutputCodec.string());

  @Override
  public String type() {
    return "shout";
  }

  @Override
  public String description() {
    return "test plug-in: writes its message in upper case; rejects the message 'no'";
  }

  @Override
  public StageKind kind() {
    return StageKind.GATE;
  }

  @Override
  public String predicateType() {
    return PREDICATE_TYPE;
  }

  @Override
  public OptionSchema options() {
    return OptionSchema.of(
        OptionSpec.string("message", "What to shout.").required(),
        OptionSpec.bool("aboutImage", "Shout about the built image; needs a stage that builds one.").defaultValue(false),
        OptionSpec.bool("echo", "Record what an earlier shout stage shouted; needs one.").defaultValue(false));
  }

  @Override
  public Set<OutputKey<?>> requires(StageOptions options) {
    Set<OutputKey<?>> required = new java.util.HashSet<>();
    if (options.bool("aboutImage")) {
      required.add(Outputs.IMAGE);
    }
    if (options.bool("echo")) {
      required.add(SHOUTED);
    }
    return Set.copyOf(required);
  }

  @Override
  public Set<OutputKey<?>> produces(StageOptions options) {
    return options.bool("echo") ? Set.of() : Set.of(SHOUTED);
  }

  /** Its own report section and JUnit check, as any stage's: the report knows nothing of shouting. */
  @Override
  public Optional<PredicateReader> predicateReader() {
    return Optional.of(new PredicateReader() {
      @Override
      public StageDetails details(JsonNode predicate) {
        List<StageDetails.Fact> facts = new ArrayList<>();
        facts.add(new StageDetails.Fact("Shouted", predicate.path("shouted").asText()));
        Json.text(predicate, "echoed").ifPresent(echoed -> facts.add(new StageDetails.Fact("Echoed", echoed)));
        return new StageDetails(facts, List.of(new StageDetails.Items("Shout artifact", List.of(predicate.path("artifact").path("name").asText()))));
      }

      @Override
      public List<StageCheck> checks(Outcome stage, JsonNode predicate) {
        String shouted = predicate.path("shouted").asText();
        return List.of(stage.failed()
            ? StageCheck.failed("loudness", "shouted " + shouted, "shout something other than 'no'")
            : StageCheck.passed("loudness", "shouted " + shouted));
      }
    });
  }

  @Override
  public Stage create(StageOptions options) {
    return context -> {
      String message = options.string("message");
      try {
        var artifact = context.artifacts().write("shout.txt", message.toUpperCase().getBytes(StandardCharsets.UTF_8));
        var predicate = Json.object().put("shouted", message.toUpperCase());
        predicate.set("artifact", artifact.descriptor());
        if (options.bool("echo")) {
          predicate.put("echoed", context.output(SHOUTED));
        }
        StageResult.Builder result = (message.equals("no") ? StageResult.rejected("the message was 'no'") : StageResult.passed("shouted"))
            .predicate(predicate);
        return (options.bool("echo") || message.equals("no") ? result : result.output(SHOUTED, message.toUpperCase())).build();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
  }
}
