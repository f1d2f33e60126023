package dev.releasegate.api;

import java.util.List;
import java.util.Objects;

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

  public record Item(String name, Status status, String detail) {
    public Item {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(detail, "detail");
    }
  }

  public boolean any(Status status) {
    return items.stream().anyMatch(item -> item.status() == status);
  }
}
