package dev.releasegate.api;

import dev.releasegate.base.ReleasegateException;
import dev.releasegate.base.Remedy;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What {@code check} found, one item per thing a release needs, in the order a release needs them. */
public record CheckReport(List<Item> items) {
  public CheckReport {
    items = List.copyOf(items);
  }

  /** How one item stands; the order is by severity. */
  public enum Status {
    OK,
    /** Works, but not as it should for a release a reviewer would sign off (no isolation, say). */
    WARNING,
    /** The release would be refused as invalid input (exit 2). */
    INVALID,
    /** The release could not run: a tool, the registry or the runtime is missing or unreachable (exit 3). */
    UNAVAILABLE
  }

  /**
   * @param detail what was found, without the remedy
   * @param remedy what the user can do about it, when something can be done
   */
  public record Item(String name, Status status, String detail, Optional<Remedy> remedy) {
    public Item {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(remedy, "remedy");
    }

    public Item(String name, Status status, String detail) {
      this(name, status, detail, Optional.empty());
    }

    /** A failure found: its problem, and its remedy if it has one. */
    static Item of(String name, Status status, ReleasegateException failure) {
      return new Item(name, status, failure.problem(), failure.remedy());
    }

    /** The detail with the remedy in the library's words. */
    public String message() {
      return remedy.map(value -> detail + "; " + value.advice()).orElse(detail);
    }
  }

  public boolean any(Status status) {
    return items.stream().anyMatch(item -> item.status() == status);
  }
}
