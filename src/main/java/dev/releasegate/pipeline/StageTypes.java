package dev.releasegate.pipeline;

import dev.releasegate.base.InvalidInputException;
import dev.releasegate.spi.StageFactory;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The stage types on the class path, built in and plug-in alike, found with {@link ServiceLoader}. */
public final class StageTypes {
  private static final String BUILT_IN_PACKAGE = "dev.releasegate.stages.";
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]{0,39}");

  private final Map<String, StageFactory> byType;

  private StageTypes(Map<String, StageFactory> byType) {
    this.byType = byType;
  }

  public static StageTypes load(ClassLoader loader) {
    Map<String, StageFactory> byType = new TreeMap<>();
    for (StageFactory factory : ServiceLoader.load(StageFactory.class, loader)) {
      String type = factory.type();
      if (!TYPE.matcher(type).matches()) {
        throw new InvalidInputException(
            "stage plug-in " + factory.getClass().getName() + " declares an invalid type '" + type + "'");
      }
      StageFactory earlier = byType.putIfAbsent(type, factory);
      if (earlier != null) {
        throw new InvalidInputException(
            "two stage plug-ins declare type '" + type + "': " + earlier.getClass().getName() + " and "
                + factory.getClass().getName() + "; remove one from the class path");
      }
    }
    return new StageTypes(byType);
  }

  public static StageTypes load() {
    return load(Thread.currentThread().getContextClassLoader());
  }

  /** Only the stage types that ship with releasegate, for the published schema. */
  public StageTypes builtIn() {
    Map<String, StageFactory> builtIn = new TreeMap<>();
    byType.forEach((type, factory) -> {
      if (factory.getClass().getName().startsWith(BUILT_IN_PACKAGE)) {
        builtIn.put(type, factory);
      }
    });
    return new StageTypes(builtIn);
  }

  public Optional<StageFactory> find(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  public Collection<StageFactory> all() {
    return byType.values();
  }

  /** The predicate type of each stage type: a verifier holds a statement of a known type to it. */
  public Map<String, String> predicateTypes() {
    Map<String, String> predicateTypes = new TreeMap<>();
    byType.forEach((type, factory) -> predicateTypes.put(type, factory.predicateType()));
    return predicateTypes;
  }
}
