package dev.releasegate.pipeline;

import dev.releasegate.base.Digests;
import dev.releasegate.base.ImageReference;
import dev.releasegate.evidence.EvidenceLayout;
import dev.releasegate.spi.OptionSchema;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.StageFactory;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a whole pipeline file before anything runs and reports every problem at once, each at its
 * {@code file:line:column}. Stage options are checked against what each stage type declares.
 */
public final class PipelineValidator {
  public static final String API_VERSION = "releasegate/v1";
  private static final Set<String> TOP_KEYS = Set.of("apiVersion", "image", "stages", "attach");
  private static final Set<String> ATTACH_KEYS = Set.of("verdict", "evidence");
  private static final Set<String> IMAGE_KEYS = Set.of("repository", "base", "labels");
  private static final Set<String> STAGE_KEYS = Set.of("name", "uses", "with", "needs", "timeoutMinutes");
  /** A day: a stage that runs longer is not a release step. */
  static final long MAX_TIMEOUT_MINUTES = 1440;
  private static final Pattern IMAGE_REF =
      Pattern.compile("[a-z0-9]+([._:-][a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)+(:[\\w][\\w.-]{0,127})?(@sha256:[0-9a-f]{64})?");

  private final StageTypes types;

  public PipelineValidator(StageTypes types) {
    this.types = types;
  }

  /** Validates {@code content}, named {@code location} in messages. */
  public Pipeline validate(String location, byte[] content) {
    ProblemList problems = new ProblemList(location);
    YamlNode root = YamlReader.read(content, problems);
    Pipeline pipeline = root == null ? null : pipeline(location, content, root, problems);
    if (!problems.isEmpty()) {
      throw new PipelineException(problems.format());
    }
    return pipeline;
  }

  private Pipeline pipeline(String location, byte[] content, YamlNode root, ProblemList problems) {
    if (!(root instanceof YamlNode.Mapping top)) {
      problems.add(root.location(), "expected a mapping with apiVersion and stages, got " + root.describe());
      return null;
    }
    unknownKeys(top, TOP_KEYS, problems);

    Optional<YamlNode> apiVersion = top.find("apiVersion").map(YamlNode.Entry::value);
    if (apiVersion.isEmpty()) {
      problems.add(top.location(), "missing 'apiVersion' (use apiVersion: " + API_VERSION + ")");
    } else if (!(apiVersion.get() instanceof YamlNode.Scalar scalar) || !API_VERSION.equals(scalar.text())) {
      problems.add(apiVersion.get().location(), "apiVersion must be " + API_VERSION);
    }

    Optional<String> repository = Optional.empty();
    Optional<String> base = Optional.empty();
    Map<String, String> labels = Map.of();
    Optional<YamlNode.Entry> image = top.find("image");
    if (image.isPresent()) {
      if (image.get().value() instanceof YamlNode.Mapping imageMap) {
        unknownKeys(imageMap, IMAGE_KEYS, problems);
        repository = imageMap.find("repository").flatMap(entry -> string(entry.value(), problems));
        repository.filter(value -> !ImageReference.isRepository(value)).ifPresent(value ->
            problems.add(imageMap.find("repository").get().value().location(),
                "image.repository must be host/path without tag or digest, e.g. 127.0.0.1:5000/hello-service"));
        base = imageMap.find("base").flatMap(entry -> string(entry.value(), problems));
        base.filter(value -> !IMAGE_REF.matcher(value).matches()).ifPresent(value ->
            problems.add(imageMap.find("base").get().value().location(),
                "image.base must be an image reference such as host/path:tag or host/path@sha256:…"));
        labels = imageMap.find("labels").map(entry -> stringMap(entry.value(), problems)).orElse(Map.of());
      } else {
        problems.add(image.get().value().location(), "image must be a mapping, got " + image.get().value().describe());
      }
    }

    List<StageDeclaration> stages = stages(top, problems);
    Pipeline.Attach attach = top.find("attach").map(entry -> attach(entry.value(), problems)).orElse(Pipeline.Attach.ALL);
    return new Pipeline(location, Digests.sha256Hex(content), new String(content, java.nio.charset.StandardCharsets.UTF_8), repository, base,
        labels, stages, attach);
  }

  private static Pipeline.Attach attach(YamlNode node, ProblemList problems) {
    if (!(node instanceof YamlNode.Mapping map)) {
      problems.add(node.location(), "attach must be a mapping (verdict: true|false, evidence: true|false), got " + node.describe());
      return Pipeline.Attach.ALL;
    }
    unknownKeys(map, ATTACH_KEYS, problems);
    return new Pipeline.Attach(flag(map, "verdict", problems), flag(map, "evidence", problems));
  }

  private static boolean flag(YamlNode.Mapping map, String key, ProblemList problems) {
    Optional<YamlNode> value = map.find(key).map(YamlNode.Entry::value);
    if (value.isEmpty()) {
      return true;
    }
    if (value.get() instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.BOOLEAN) {
      return Boolean.parseBoolean(scalar.text().toLowerCase(java.util.Locale.ROOT));
    }
    problems.add(value.get().location(), "attach." + key + " must be true or false, got " + value.get().describe());
    return true;
  }

  private List<StageDeclaration> stages(YamlNode.Mapping top, ProblemList problems) {
    Optional<YamlNode.Entry> entry = top.find("stages");
    if (entry.isEmpty()) {
      problems.add(top.location(), "missing 'stages'");
      return List.of();
    }
    if (!(entry.get().value() instanceof YamlNode.Sequence list) || list.items().isEmpty()) {
      problems.add(entry.get().value().location(), "stages must be a non-empty list");
      return List.of();
    }
    if (list.items().size() > EvidenceLayout.MAX_STAGES) {
      problems.add(list.location(), "at most " + EvidenceLayout.MAX_STAGES + " stages are allowed");
    }
    List<StageDeclaration> stages = new ArrayList<>();
    Map<String, YamlNode.Location> names = new HashMap<>();
    OutputFlow flow = new OutputFlow();
    StageDeclaration firstPublisher = null;
    YamlNode.Location firstPublisherAt = null;
    for (YamlNode item : list.items()) {
      if (!(item instanceof YamlNode.Mapping stage)) {
        problems.add(item.location(), "a stage must be a mapping with name and uses, got " + item.describe());
        continue;
      }
      unknownKeys(stage, STAGE_KEYS, problems);
      Optional<String> name = required(stage, "name", problems);
      name.filter(value -> !EvidenceLayout.STAGE_NAME.matcher(value).matches()).ifPresent(value ->
          problems.add(stage.find("name").get().value().location(),
              "stage name '" + value + "' must be lower case letters, digits and dashes (at most 40)"));
      name.ifPresent(value -> {
        YamlNode.Location first = names.putIfAbsent(value, stage.find("name").get().value().location());
        if (first != null) {
          problems.add(stage.find("name").get().value().location(),
              "duplicate stage name '" + value + "' (first at line " + first.line() + ")");
        }
      });
      Optional<String> uses = required(stage, "uses", problems);
      Optional<StageFactory> factory = uses.flatMap(types::find);
      if (uses.isPresent() && factory.isEmpty()) {
        problems.add(stage.find("uses").get().value().location(), unknownType(uses.get()));
      }
      if (factory.isEmpty()) {
        continue;
      }
      Optional<YamlNode> with = stage.find("with").map(YamlNode.Entry::value);
      Map<String, YamlNode.Location> where = new HashMap<>();
      YamlNode.Location withAt = with.map(YamlNode::location).orElse(stage.location());
      int before = problems.size();
      Map<String, Object> values = options(factory.get().options(), with.orElse(null), "", where, problems, withAt);
      StageOptions options = StageOptions.of(values);
      if (problems.size() == before) {
        // The stage's own checks assume well-typed options; after a type error they would only echo it.
        factory.get().check(options, (path, message) -> problems.add(where.getOrDefault(path, withAt), message));
      }

      YamlNode.Location usesAt = stage.find("uses").get().value().location();
      for (OutputKey<?> needed : flow.unmet(factory.get().requires(options))) {
        problems.add(usesAt, "stage '" + name.orElse("?") + "' (" + uses.get() + ") needs output '" + needed.name()
            + "', which no earlier stage produces" + producersHint(needed));
      }
      flow.produced(name.orElse("?"), factory.get().produces(options), false);
      List<String> needs = stage.find("needs").map(needsEntry -> needs(needsEntry.value(), name.orElse("?"), names.keySet(), problems)).orElse(List.of());
      Optional<Duration> deadline = stage.find("timeoutMinutes").flatMap(timeout -> timeoutMinutes(timeout.value(), problems));
      if (name.isEmpty()) {
        continue;
      }
      StageDeclaration declaration = deadline.isPresent()
          ? new StageDeclaration(name.get(), factory.get(), options, needs, deadline.get())
          : new StageDeclaration(name.get(), factory.get(), options, needs);
      if (declaration.kind() == StageKind.PUBLISHER && firstPublisher == null) {
        firstPublisher = declaration;
        firstPublisherAt = usesAt;
      } else if (declaration.kind() == StageKind.GATE && firstPublisher != null) {
        problems.add(usesAt, "stage '" + declaration.name() + "' (" + declaration.type() + ") is a gate, but comes after publisher '"
            + firstPublisher.name() + "' (" + firstPublisher.type() + ", line " + firstPublisherAt.line() + "): every gate must pass before "
            + "anything is published, so list the gates first and the publishers (sign, verify, push) after them");
      }
      stages.add(declaration);
    }
    return stages;
  }

  private static Optional<Duration> timeoutMinutes(YamlNode node, ProblemList problems) {
    String got = node.describe();
    if (node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.INTEGER) {
      got = scalar.text().length() > 20 ? scalar.text().substring(0, 20) + "…" : scalar.text();
      try {
        long minutes = Long.parseLong(scalar.text());
        if (minutes >= 1 && minutes <= MAX_TIMEOUT_MINUTES) {
          return Optional.of(Duration.ofMinutes(minutes));
        }
      } catch (NumberFormatException tooLarge) {
        // reported below
      }
    }
    problems.add(node.location(), "timeoutMinutes must be an integer between 1 and " + MAX_TIMEOUT_MINUTES + ", got " + got);
    return Optional.empty();
  }

  /** {@code needs:} names earlier stages only, so the stages cannot wait for each other in a circle. */
  private static List<String> needs(YamlNode node, String stageName, Set<String> earlier, ProblemList problems) {
    if (node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.STRING) {
      node = new YamlNode.Sequence(List.of(node), node.location());
    }
    if (!(node instanceof YamlNode.Sequence list)) {
      problems.add(node.location(), "needs must be a list of stage names, got " + node.describe());
      return List.of();
    }
    List<String> needs = new ArrayList<>();
    for (YamlNode item : list.items()) {
      String needed = text(item, "needs", problems);
      if (needed == null) {
        continue;
      }
      if (needed.equals(stageName)) {
        problems.add(item.location(), "stage '" + stageName + "' cannot need itself");
      } else if (!earlier.contains(needed)) {
        problems.add(item.location(), "stage '" + stageName + "' needs '" + needed + "', which is not an earlier stage"
            + suggestion(needed, earlier.stream().sorted().toList()) + "; a stage can only need stages listed before it");
      } else {
        needs.add(needed);
      }
    }
    return needs;
  }

  private String producersHint(OutputKey<?> needed) {
    List<String> producers =
        types.all().stream()
            .filter(factory -> factory.produces(defaults(factory.options())).contains(needed))
            .map(StageFactory::type)
            .toList();
    return producers.isEmpty() ? "" : " (add a stage that uses " + String.join(" or ", producers) + " before it)";
  }

  private static StageOptions defaults(OptionSchema spec) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (OptionSpec option : spec.all()) {
      option.defaultValue().ifPresent(value -> values.put(option.name(), value));
    }
    return StageOptions.of(values);
  }

  private String unknownType(String type) {
    String available = types.all().stream().map(StageFactory::type).collect(Collectors.joining(", "));
    return "unknown stage type '" + type + "'" + suggestion(type, types.all().stream().map(StageFactory::type).toList())
        + " (available: " + available + ")";
  }

  /** Validates options against their spec; records where each value was written under its path. */
  private static Map<String, Object> options(
      OptionSchema spec, YamlNode node, String prefix, Map<String, YamlNode.Location> where,
      ProblemList problems, YamlNode.Location fallback) {
    Map<String, Object> values = new LinkedHashMap<>();
    YamlNode.Mapping map = null;
    if (node instanceof YamlNode.Mapping mapping) {
      map = mapping;
    } else if (node != null && !(node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.NULL)) {
      problems.add(node.location(), (prefix.isEmpty() ? "with" : prefix) + " must be a mapping, got " + node.describe());
      return values;
    }
    if (map != null) {
      List<String> known = spec.all().stream().map(OptionSpec::name).toList();
      for (YamlNode.Entry entry : map.entries()) {
        if (spec.find(entry.key()).isEmpty()) {
          problems.add(entry.keyLocation(), "unknown option '" + prefix + entry.key() + "'" + suggestion(entry.key(), known)
              + (known.isEmpty() ? " (this stage takes no options)" : " (options: " + String.join(", ", known) + ")"));
        }
      }
    }
    for (OptionSpec option : spec.all()) {
      String path = prefix + option.name();
      Optional<YamlNode.Entry> entry = map == null ? Optional.empty() : map.find(option.name());
      YamlNode value = entry.map(YamlNode.Entry::value).orElse(null);
      if (value instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.NULL) {
        value = null;
      }
      if (value == null) {
        if (option.isRequired()) {
          problems.add(entry.map(YamlNode.Entry::keyLocation).orElse(map == null ? fallback : map.location()),
              "missing required option '" + path + "'");
        }
        option.defaultValue().ifPresent(defaultValue -> values.put(option.name(), defaultValue));
        continue;
      }
      where.put(path, value.location());
      Object checked = value(option, value, path, where, problems);
      if (checked != null) {
        values.put(option.name(), checked);
      } else {
        // Already reported; the default keeps the options complete for the checks that follow.
        option.defaultValue().ifPresent(defaultValue -> values.put(option.name(), defaultValue));
      }
    }
    return values;
  }

  private static Object value(
      OptionSpec option, YamlNode node, String path, Map<String, YamlNode.Location> where, ProblemList problems) {
    switch (option.kind()) {
      case STRING:
        return allowed(option, text(node, path, problems), node, path, problems);
      case INTEGER:
        if (node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.INTEGER) {
          try {
            long number = Long.parseLong(scalar.text());
            if (number < option.min() || number > option.max()) {
              problems.add(node.location(), path + " must be between " + option.min() + " and " + option.max() + ", got " + number);
              return null;
            }
            return number;
          } catch (NumberFormatException e) {
            problems.add(node.location(), path + " is too large: " + scalar.text());
            return null;
          }
        }
        problems.add(node.location(), path + " must be an integer, got " + node.describe());
        return null;
      case BOOLEAN:
        if (node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.BOOLEAN) {
          return Boolean.parseBoolean(scalar.text().toLowerCase(java.util.Locale.ROOT));
        }
        problems.add(node.location(), path + " must be true or false, got " + node.describe());
        return null;
      case STRING_LIST:
        if (node instanceof YamlNode.Scalar) {
          // One value stands for a list of one: reports: "target/*.xml" means [target/*.xml].
          node = new YamlNode.Sequence(List.of(node), node.location());
        }
        if (!(node instanceof YamlNode.Sequence list)) {
          problems.add(node.location(), path + " must be a list, got " + node.describe());
          return null;
        }
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
          YamlNode item = list.items().get(i);
          String element = allowed(option, text(item, path + "[" + i + "]", problems), item, path + "[" + i + "]", problems);
          if (element != null) {
            where.put(path + "[" + i + "]", item.location());
            strings.add(element);
          }
        }
        return List.copyOf(strings);
      case COMMAND:
        if (!(node instanceof YamlNode.Sequence program)) {
          problems.add(node.location(), path + " must be a list: the program and its arguments, got " + node.describe());
          return null;
        }
        if (program.items().isEmpty()) {
          problems.add(node.location(), path + " must not be empty");
          return null;
        }
        List<String> argv = new ArrayList<>();
        for (int i = 0; i < program.items().size(); i++) {
          YamlNode item = program.items().get(i);
          String argument = text(item, path + "[" + i + "]", problems);
          if (argument == null) {
            return null;
          }
          where.put(path + "[" + i + "]", item.location());
          argv.add(argument);
        }
        if (argv.get(0).isBlank()) {
          problems.add(program.items().get(0).location(), path + "[0] must name a program");
          return null;
        }
        return List.copyOf(argv);
      case STRING_MAP:
        return stringMap(node, problems, path);
      case OBJECT_LIST:
        if (!(node instanceof YamlNode.Sequence objects)) {
          problems.add(node.location(), path + " must be a list, got " + node.describe());
          return null;
        }
        List<dev.releasegate.spi.StageOptions> elements = new ArrayList<>();
        for (int i = 0; i < objects.items().size(); i++) {
          YamlNode item = objects.items().get(i);
          String itemPath = path + "[" + i + "]";
          where.put(itemPath, item.location());
          if (item instanceof YamlNode.Scalar && option.shorthandField().isPresent()) {
            YamlNode.Entry shorthand = new YamlNode.Entry(option.shorthandField().get(), item.location(), item);
            item = new YamlNode.Mapping(List.of(shorthand), item.location());
          }
          if (!(item instanceof YamlNode.Mapping)) {
            problems.add(item.location(), itemPath + " must be a mapping, got " + item.describe());
            continue;
          }
          elements.add(StageOptions.of(options(option.fields(), item, itemPath + ".", where, problems, item.location())));
        }
        return List.copyOf(elements);
      default:
        throw new IllegalStateException("unhandled option kind " + option.kind());
    }
  }

  private static String allowed(OptionSpec option, String value, YamlNode node, String path, ProblemList problems) {
    if (value != null && !option.allowedValues().isEmpty() && !option.allowedValues().contains(value)) {
      problems.add(node.location(), path + " must be one of " + String.join(", ", option.allowedValues())
          + ", got '" + value + "'" + suggestion(value, option.allowedValues()));
      return null;
    }
    return value;
  }

  /**
   * Any scalar but an empty one reads as its text: {@code command: [sleep, 5]} means "5". A NUL byte
   * ends a string where it reaches a program, so it cannot mean what the file says.
   */
  private static String text(YamlNode node, String path, ProblemList problems) {
    if (node instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.ScalarType.NULL) {
      if (scalar.text().indexOf('\0') >= 0) {
        problems.add(node.location(), path + " holds a NUL byte");
        return null;
      }
      return scalar.text();
    }
    problems.add(node.location(), path + " must be a string, got " + node.describe());
    return null;
  }

  private static Optional<String> string(YamlNode node, ProblemList problems) {
    if (node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.STRING && !scalar.text().isEmpty()) {
      return Optional.of(scalar.text());
    }
    problems.add(node.location(), "expected a non-empty string, got " + node.describe());
    return Optional.empty();
  }

  private static Map<String, String> stringMap(YamlNode node, ProblemList problems) {
    Map<String, String> map = stringMap(node, problems, "labels");
    return map == null ? Map.of() : map;
  }

  private static Map<String, String> stringMap(YamlNode node, ProblemList problems, String path) {
    if (!(node instanceof YamlNode.Mapping mapping)) {
      problems.add(node.location(), path + " must be a mapping of names to strings, got " + node.describe());
      return null;
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (YamlNode.Entry entry : mapping.entries()) {
      String text = text(entry.value(), path + "." + entry.key(), problems);
      if (entry.key().isBlank()) {
        problems.add(entry.keyLocation(), path + " has an empty name");
      } else if (text != null) {
        values.put(entry.key(), text);
      }
    }
    return Map.copyOf(values);
  }

  private static Optional<String> required(YamlNode.Mapping map, String key, ProblemList problems) {
    Optional<YamlNode.Entry> entry = map.find(key);
    if (entry.isEmpty()) {
      problems.add(map.location(), "stage is missing '" + key + "'");
      return Optional.empty();
    }
    return string(entry.get().value(), problems);
  }

  private static void unknownKeys(YamlNode.Mapping map, Set<String> known, ProblemList problems) {
    List<String> sorted = known.stream().sorted().toList();
    for (YamlNode.Entry entry : map.entries()) {
      if (!known.contains(entry.key())) {
        problems.add(entry.keyLocation(), "unknown key '" + entry.key() + "'" + suggestion(entry.key(), sorted)
            + " (expected one of: " + String.join(", ", sorted) + ")");
      }
    }
  }

  /** ", did you mean 'x'?" for a near miss (edit distance at most 2), else nothing. */
  static String suggestion(String given, List<String> candidates) {
    String best = null;
    int bestDistance = 3;
    for (String candidate : candidates) {
      int distance = distance(given.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best == null ? "" : ", did you mean '" + best + "'?";
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
