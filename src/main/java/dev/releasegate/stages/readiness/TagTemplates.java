package dev.releasegate.stages.readiness;

import dev.releasegate.spi.StageContext;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The push stage's tag templates ({@code {version}}, {@code {gitSha}}, {@code {gitShortSha}}), expanded
 * the same way so that the lint sees the tags the push stage will write. (The push stage's own
 * expander is package-private to it.)
 */
final class TagTemplates {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
  private static final java.util.Set<String> NAMES = java.util.Set.of("version", "gitSha", "gitShortSha");

  private TagTemplates() {}

  /** Empty when the template is usable; otherwise what is wrong with it. */
  static Optional<String> problem(String template) {
    if (template.isBlank()) {
      return Optional.of("a tag must not be empty");
    }
    Matcher matcher = PLACEHOLDER.matcher(template);
    while (matcher.find()) {
      if (!NAMES.contains(matcher.group(1))) {
        return Optional.of("unknown placeholder {" + matcher.group(1) + "} in tag '" + template + "' (known: {version}, {gitSha}, {gitShortSha})");
      }
    }
    return Optional.empty();
  }

  static String expand(String template, StageContext context) {
    Map<String, String> values = Map.of(
        "version", context.version(), "gitSha", context.git().commit(), "gitShortSha", context.git().shortCommit());
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(result, Matcher.quoteReplacement(values.getOrDefault(matcher.group(1), matcher.group())));
    }
    matcher.appendTail(result);
    return result.toString();
  }
}
