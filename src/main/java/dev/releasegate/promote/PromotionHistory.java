package dev.releasegate.promote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.cosign.AttachmentKind;
import dev.releasegate.cosign.AttestationVerification;
import dev.releasegate.cosign.AttestationVerifier;
import dev.releasegate.cosign.CosignLayer;
import dev.releasegate.cosign.CosignRegistry;
import dev.releasegate.cosign.SignatureTrust;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.registry.RegistryAccess;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The promotions of one environment of a repository, read from the promotion attestations attached to
 * its images. Only attestations whose signature verifies with the given trust count; an unsigned or
 * forged one is listed among the problems, never as a promotion.
 */
public final class PromotionHistory {
  private static final Pattern ATTESTATION_TAG = Pattern.compile("sha256-([0-9a-f]{64})\\.att");

  /**
   * One promotion.
   *
   * @param previous what the environment tag named before it, if anything
   * @param release the release's facts as attested: version, commit, run id
   * @param signer the key id or identity that signed the promotion
   */
  public record Entry(String digest, String environment, Optional<String> previous, String version, String commit, Instant promotedAt,
      String from, String signer, Optional<String> ciUrl) {}

  /** @param problems attestations that did not verify, or could not be read, each named */
  public record History(List<Entry> entries, List<String> problems) {
    public History {
      entries = List.copyOf(entries);
      problems = List.copyOf(problems);
    }
  }

  private PromotionHistory() {}

  /** Every verified promotion of {@code environment} in {@code repository}, newest first. */
  public static History read(RegistryAccess repository, String environment, SignatureTrust trust) throws InterruptedException {
    List<Entry> entries = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    CosignRegistry cosign = new CosignRegistry(repository);
    AttestationVerifier verifier = AttestationVerifier.trusting(trust);
    for (String tag : repository.tags()) {
      Matcher matcher = ATTESTATION_TAG.matcher(tag);
      if (!matcher.matches()) {
        continue;
      }
      String digest = "sha256:" + matcher.group(1);
      try {
        Optional<CosignRegistry.Attached> attached = cosign.read(AttachmentKind.ATTESTATIONS, digest);
        if (attached.isEmpty()) {
          continue;
        }
        AttestationVerification verification = verifier.verify(digest, attached.get().layers(), Set.of());
        for (AttestationVerification.AttestationCheck check : verification.checks()) {
          CosignLayer layer = attached.get().layers().get(check.layer() - 1);
          boolean promotion = check.predicateType().map(Promotion.PREDICATE_TYPE::equals).orElse(false)
              || Promotion.PREDICATE_TYPE.equals(layer.descriptor().annotations().get(CosignLayer.PREDICATE_TYPE_ANNOTATION));
          if (!promotion) {
            continue;
          }
          if (!check.passed()) {
            problems.add(tag + " layer " + check.layer() + ": " + check.problem().orElse("does not verify"));
            continue;
          }
          JsonNode statement = Json.parse(DsseEnvelope.parse(layer.blob()).payload());
          JsonNode predicate = statement.path("predicate");
          if (environment.equals(predicate.path("environment").asText())) {
            entries.add(entry(digest, predicate, check.signer().orElse("?")));
          }
        }
      } catch (IOException | DateTimeParseException e) {
        problems.add(tag + ": " + e.getMessage());
      }
    }
    entries.sort(Comparator.comparing(Entry::promotedAt).reversed());
    return new History(entries, problems);
  }

  private static Entry entry(String digest, JsonNode predicate, String signer) {
    return new Entry(digest, predicate.path("environment").asText(),
        Optional.ofNullable(predicate.path("previousDigest").textValue()),
        predicate.at("/release/version").asText(""), predicate.at("/release/commit").asText(""),
        Instant.parse(predicate.path("promotedAt").asText()), predicate.path("from").asText(""), signer,
        Optional.ofNullable(predicate.at("/ci/url").textValue()));
  }
}
