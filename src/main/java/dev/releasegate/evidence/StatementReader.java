package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Messages;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads one signed statement of the bundle: the envelope's digest is the one the index names, it is an
 * in-toto envelope, the trusted signer signed it, and its payload is a statement. The first step that
 * fails is noted as the statement's problem.
 */
final class StatementReader {
  private final EnvelopeVerifier trust;
  private final EvidenceFolder folder;
  private final Problems problems;

  StatementReader(EnvelopeVerifier trust, EvidenceFolder folder, Problems problems) {
    this.trust = trust;
    this.folder = folder;
    this.problems = problems;
  }

  /** The statement at {@code path}; empty when any step fails. */
  Optional<ObjectNode> read(String path, String expectedSha256) {
    Optional<byte[]> bytes = folder.read(path, "envelope", EvidenceLayout.MAX_STATEMENT_BYTES);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    String actual = Digests.sha256Hex(bytes.get());
    if (!actual.equals(expectedSha256)) {
      problems.add(path, "digest", "sha256 " + actual + " does not match " + EvidenceLayout.INDEX + " (" + expectedSha256 + ")");
      return Optional.empty();
    }
    DsseEnvelope envelope;
    try {
      envelope = DsseEnvelope.parse(bytes.get());
    } catch (IOException e) {
      problems.add(path, "envelope", Messages.firstLine(e));
      return Optional.empty();
    }
    if (!Dsse.IN_TOTO_PAYLOAD_TYPE.equals(envelope.payloadType())) {
      problems.add(path, "envelope", "payloadType is " + envelope.payloadType() + ", expected " + Dsse.IN_TOTO_PAYLOAD_TYPE);
      return Optional.empty();
    }
    Optional<String> signatureProblem = trust.check(folder.resolve(path), envelope);
    if (signatureProblem.isPresent()) {
      problems.add(path, "signature", signatureProblem.get());
      return Optional.empty();
    }
    try {
      return Optional.of(Statements.parse(envelope.payload()));
    } catch (IOException e) {
      problems.add(path, "statement", Messages.firstLine(e));
      return Optional.empty();
    }
  }
}
