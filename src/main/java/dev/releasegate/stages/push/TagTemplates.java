package dev.releasegate.stages.push;

import dev.releasegate.spi.Problems;
import dev.releasegate.spi.StageContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tag templates such as {@code {version}} or {@code v{version}-{gitShortSha}}: the push stage writes
 * them, the readiness lint checks the same expansion.
 */
public final class TagTemplates {
  public static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
  private static final Map<String, String> SAMPLE =
      Map.of("version", "1.0.0", "gitSha", "0123456789abcdef0123456789abcdef01234567", "gitShortSha", "0123456");

  private TagTemplates() {}

  /** Empty when the template is valid; otherwise what is wrong with it. */
  public static Optional<String> problem(String template) {
    if (template.isBlank()) {
      return Optional.of("a tag must not be empty");
    }
    Matcher matcher = PLACEHOLDER.matcher(template);
    while (matcher.find()) {
      if (!SAMPLE.containsKey(matcher.group(1))) {
        return Optional.of("unknown placeholder {" + matcher.group(1) + "} in tag '" + template + "' (known: {version}, {gitSha}, {gitShortSha})");
      }
    }
    String sample = expand(template, SAMPLE);
    if (!TAG.matcher(sample).matches()) {
      return Optional.of("tag '" + template + "' does not give a valid tag (letters, digits, '_', '.', '-'; at most 128)");
    }
    return Optional.empty();
  }

  /** Reports each invalid template of the option {@code tags} at its index. */
  public static void check(List<String> templates, Problems problems) {
    for (int i = 0; i < templates.size(); i++) {
      int index = i;
      problem(templates.get(i)).ifPresent(problem -> problems.report("tags[" + index + "]", problem));
    }
  }

  public static String expand(String template, StageContext context) {
    return expand(template, Map.of(
        "version", context.version(), "gitSha", context.git().commit(), "gitShortSha", context.git().shortCommit()));
  }

  private static String expand(String template, Map<String, String> values) {
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(result, Matcher.quoteReplacement(values.getOrDefault(matcher.group(1), matcher.group())));
    }
    matcher.appendTail(result);
    return result.toString();
  }
}
