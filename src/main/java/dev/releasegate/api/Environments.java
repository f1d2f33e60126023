package dev.releasegate.api;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.WrittenReference;
import dev.releasegate.promote.PromotionHistory;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The environment tags of a repository: the verified history of each, and going back in it. */
final class Environments {
  private Environments() {}

  /** The promotions of {@code environment} in {@code repository}; only those signed as {@code promoters} says count. */
  static EnvironmentHistory history(
      String repository, String environment, Trust promoters, boolean insecureRegistry, Map<String, String> variables, Consumer<String> log) {
    WrittenReference ref = WrittenReference.parse(repository);
    if (ref.tag().isPresent() || ref.digest().isPresent()) {
      throw new InvalidInputException("history takes a repository, not " + repository + "; the environment names the tag");
    }
    RegistryAccess registry = RegistryAccess.open(ref.repository(), new RegistrySettings(insecureRegistry, variables, log));
    try {
      PromotionHistory.History read =
          PromotionHistory.read(registry, environment, Promote.signatureTrust(promoters));
      return new EnvironmentHistory(ref.repository(), environment, registry.digestOf(environment), read.entries().stream()
          .map(entry -> new EnvironmentHistory.Promotion(entry.digest(), entry.previous(), entry.version(), entry.commit(), entry.promotedAt(),
              entry.from(), entry.signer(), entry.ciUrl()))
          .toList(), read.problems());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("interrupted while reading the history of " + repository + ":" + environment, e);
    }
  }

  /** Promotes again what the request goes back to, through every check of a promotion. */
  static PromotionResult rollback(RollbackRequest request, Consumer<String> log) {
    EnvironmentHistory history = history(request.repository(), request.environment(), request.promoters(), request.insecureRegistry(),
        request.variables(), log);
    String target = rollbackTarget(history, request.to());
    log.accept("rolling " + request.repository() + ":" + request.environment() + " back to " + target);
    return new Promote(request.promoting(target), log).run();
  }

  private static String rollbackTarget(EnvironmentHistory history, Optional<String> to) {
    String shown = history.repository() + ":" + history.environment();
    if (to.isPresent()) {
      return history.promotions().stream()
          .filter(promotion -> promotion.digest().equals(to.get()) || promotion.version().equals(to.get()))
          .map(EnvironmentHistory.Promotion::digest).findFirst()
          .orElseThrow(() -> new InvalidInputException(to.get() + " was never promoted to " + shown + " (by a verified promotion);"
              + " promote it instead"));
    }
    return history.promotions().stream()
        .map(EnvironmentHistory.Promotion::digest)
        .filter(digest -> !history.current().equals(Optional.of(digest)))
        .findFirst()
        .orElseThrow(() -> new InvalidInputException("nothing to roll back to: " + shown + " has held no other release"
            + (history.problems().isEmpty() ? "" : " (" + history.problems().size() + " promotion attestations did not verify)")));
  }
}
