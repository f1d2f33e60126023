package dev.releasegate.stages.push;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.TagLock;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageResult;
import dev.releasegate.stages.StageRegistries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tags the digest every earlier gate looked at. Every tag is checked before any is written: one that
 * names another digest rejects the release and nothing moves; one that already names this digest is
 * left as it is, so re-running a release is idempotent.
 *
 * <p>Registries have no compare-and-set for tags. Releases on one machine are serialized with a lock
 * file; across machines the tags are read back after writing, so of two racing releases exactly one
 * passes and the tag names it.
 */
final class PushStage implements Stage {
  private final PushOptions options;

  PushStage(PushOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) throws InterruptedException {
    ImageReference image = context.output(Outputs.IMAGE);
    List<String> tags = new ArrayList<>(new LinkedHashSet<>(options.tags().stream()
        .map(template -> TagTemplates.expand(template, context)).toList()));
    RegistryAccess registry = RegistryAccess.open(image.repository(), StageRegistries.settings(context));

    Map<String, String> actions = new LinkedHashMap<>();
    try (TagLock lock = TagLock.acquire(context.environment(), image.repository(), options.lockTimeout(),
        context::progress)) {
      List<String> conflicts = new ArrayList<>();
      for (String tag : tags) {
        Optional<String> current = registry.digestOf(tag);
        if (current.isEmpty()) {
          actions.put(tag, "created");
        } else if (current.get().equals(image.digest())) {
          actions.put(tag, "unchanged");
        } else {
          conflicts.add("tag " + image.repository() + ":" + tag + " points to " + current.get() + ", this release is " + image.digest());
        }
      }
      if (!conflicts.isEmpty()) {
        StageResult.Builder rejected = StageResult.rejected(conflicts.get(0) + (conflicts.size() > 1 ? " (and " + (conflicts.size() - 1) + " more)" : "")
            + "; tags are immutable, release a new version");
        conflicts.forEach(rejected::detail);
        return rejected.predicate(predicate(image, registry, actions, conflicts)).build();
      }
      for (Map.Entry<String, String> entry : actions.entrySet()) {
        if (entry.getValue().equals("created")) {
          context.progress("tagging " + image.repository() + ":" + entry.getKey());
          registry.tag(image.digest(), entry.getKey());
        }
      }
    }

    List<String> lost = new ArrayList<>();
    for (String tag : tags) {
      Optional<String> now = registry.digestOf(tag);
      if (!now.equals(Optional.of(image.digest()))) {
        lost.add("tag " + image.repository() + ":" + tag + " now points to " + now.orElse("nothing") + ", not " + image.digest()
            + " (another release wrote it at the same time)");
      }
    }
    if (!lost.isEmpty()) {
      StageResult.Builder rejected = StageResult.rejected(lost.get(0));
      lost.forEach(rejected::detail);
      return rejected.predicate(predicate(image, registry, actions, lost)).build();
    }
    return StageResult.passed("tagged " + image.repository() + " " + String.join(", ", tags))
        .output(Outputs.TAGS, List.copyOf(tags))
        .predicate(predicate(image, registry, actions, List.of()))
        .build();
  }

  private static ObjectNode predicate(ImageReference image, RegistryAccess registry, Map<String, String> actions, List<String> problems) {
    ObjectNode predicate = Json.object();
    predicate.put("registry", registry.host());
    predicate.put("repository", image.repository());
    predicate.put("digest", image.digest());
    ArrayNode list = predicate.putArray("tags");
    actions.forEach((tag, action) -> list.addObject().put("tag", tag).put("result", action));
    ArrayNode conflicts = predicate.putArray("conflicts");
    problems.forEach(conflicts::add);
    return predicate;
  }
}
