package dev.releasegate.waivers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One accepted finding: what it covers, why, and until when.
 *
 * @param id what the waiver silences: a vulnerability id, a check id, …
 * @param scope the value of the file's optional scope key (e.g. the scan's {@code package}), if given
 * @param reason why the finding is accepted; never empty
 * @param expires the last day (UTC) on which the waiver applies
 * @param line where the entry starts in the file, for messages and evidence
 */
public record Waiver(String id, Optional<String> scope, String reason, LocalDate expires, int line) {

  public Waiver {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(expires, "expires");
  }

  /** True from the day after {@link #expires()}: the expiry day itself is still covered. */
  public boolean expiredOn(LocalDate today) {
    return today.isAfter(expires);
  }

  /** The entry as the evidence records it; the scope under its key name, when there is one. */
  public ObjectNode toJson(Optional<String> scopeKey) {
    ObjectNode node = Json.object();
    node.put("id", id);
    scopeKey.ifPresent(key -> scope.ifPresent(value -> node.put(key, value)));
    node.put("reason", reason);
    node.put("expires", expires.toString());
    node.put("line", line);
    return node;
  }
}
