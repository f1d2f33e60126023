package dev.releasegate.stages.verify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.cosign.CosignRegistry;
import dev.releasegate.cosign.ImageCheck;
import dev.releasegate.cosign.KeyTrust;
import dev.releasegate.cosign.KeylessSignature;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.SignedStatement;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageResult;
import dev.releasegate.stages.StageRegistries;
import dev.releasegate.stages.sign.SignStageFactory;
import java.io.IOException;
import java.security.PublicKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Verifies, from a fresh read of the registry, that the image carries a valid signature by the run's
 * key and the attestations the run attached; nothing the sign stage remembers is trusted.
 */
final class VerifyStage implements Stage {
  private final VerifyOptions options;

  VerifyStage(VerifyOptions options) {
    this.options = options;
  }

  /**
   * By default, what the last sign stage of the run attached: the predicate types of the statements
   * about the image that came before it. Statements after it (its own, this one) were never attached.
   */
  private static Set<String> attachedBySign(StageContext context) {
    Set<String> seen = new TreeSet<>();
    Set<String> attached = new TreeSet<>();
    for (SignedStatement statement : context.statements()) {
      if (statement.predicateType().equals(SignStageFactory.PREDICATE_TYPE)) {
        attached = new TreeSet<>(seen);
      } else if (statement.aboutImage()) {
        seen.add(statement.predicateType());
      }
    }
    return attached;
  }

  /**
   * The keys the run signed with. Keyless, sigstore-java renews its short-lived certificate, and key,
   * when less than five minutes of it are left, so a long run signs with several; each statement's
   * Sigstore bundle holds the certificate that signed it. (The certificates themselves are checked
   * against the trusted root by {@code verify-evidence} and keyless {@code verify-image}.)
   */
  private static List<PublicKey> runKeys(StageContext context) {
    Set<PublicKey> keys = new LinkedHashSet<>();
    keys.add(context.signer().publicKey());
    for (SignedStatement statement : context.statements()) {
      if (statement.sigstoreBundle().isPresent()) {
        try {
          keys.add(KeylessSignature.signingCertificate(statement.sigstoreBundle().get()).getPublicKey());
        } catch (IOException e) {
          throw new IllegalStateException("the signature of stage " + statement.stage() + " has an unreadable Sigstore bundle", e);
        }
      }
    }
    return List.copyOf(keys);
  }

  @Override
  public StageResult run(StageContext context) throws InterruptedException {
    ImageReference image = context.output(Outputs.IMAGE);
    Set<String> required = options.requirePredicates().<Set<String>>map(TreeSet::new).orElseGet(() -> attachedBySign(context));
    context.progress("reading the signature and attestations of " + image);
    ImageCheck.Result result = ImageCheck.run(
        new CosignRegistry(RegistryAccess.open(image.repository(), StageRegistries.settings(context))),
        image.repository(), image.digest(), KeyTrust.of(runKeys(context)), required);

    ObjectNode predicate = Json.object();
    predicate.put("image", image.toString());
    predicate.put("keyid", context.signer().keyId());
    ArrayNode signers = predicate.putArray("signatures");
    result.signers().forEach(signers::add);
    ArrayNode types = predicate.putArray("predicateTypes");
    result.predicateTypes().forEach(types::add);
    ArrayNode requiredTypes = predicate.putArray("requiredPredicateTypes");
    required.forEach(requiredTypes::add);
    ArrayNode accepted = predicate.putArray("accepted");
    for (ImageCheck.Verified found : result.accepted()) {
      ObjectNode entry = accepted.addObject();
      found.predicateType().ifPresent(type -> entry.put("predicateType", type));
      entry.put("signer", found.signer()).put("format", found.format().name().toLowerCase(Locale.ROOT)).put("location", found.location());
    }
    ArrayNode failures = predicate.putArray("failures");
    result.failures().forEach(failures::add);
    ArrayNode notes = predicate.putArray("notes");
    result.notes().forEach(notes::add);

    StageResult.Builder builder = result.verified()
        ? StageResult.passed("verified " + image + ": signed by " + String.join(", ", result.signers()) + ", " + result.predicateTypes().size() + " predicate types attested")
        : StageResult.rejected(result.failures().get(0));
    result.failures().forEach(builder::detail);
    result.notes().forEach(builder::warning);
    return builder.predicate(predicate).build();
  }
}
