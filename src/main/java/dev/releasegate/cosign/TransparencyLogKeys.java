package dev.releasegate.cosign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.sign.Ecdsa;
import dev.releasegate.sign.PublicKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The transparency logs (Rekor) whose signed entry timestamps are trusted, by log id: either given as
 * keys (a {@code rekor.pub}) or read from the {@code tlogs} of a Sigstore {@code trusted_root.json}.
 *
 * <p>Rekor v1 logs sign with ECDSA P-256; the staging trusted root also lists a Rekor v2 log with an
 * Ed25519 key. Both are read; a log whose key type is neither is kept by id so that an entry from it
 * is refused with a message naming the type rather than an unknown log.
 */
public final class TransparencyLogKeys {
  static final String ECDSA_P256 = "PKIX_ECDSA_P256_SHA_256";
  static final String ED25519 = "PKIX_ED25519";
  private static final String TRUSTED_ROOT_MEDIA_TYPE = "application/vnd.dev.sigstore.trustedroot+json;version=0.1";

  /**
   * One log.
   *
   * @param logId hex log id (SHA-256 of the DER key for Rekor v1)
   * @param keyDetails the Sigstore key type, e.g. {@code PKIX_ECDSA_P256_SHA_256}
   * @param key the key, empty if its type is not supported
   * @param validFrom start of the key's validity, if bounded
   * @param validUntil end of the key's validity, if bounded
   */
  public record LogKey(String logId, String keyDetails, Optional<PublicKey> key, Optional<Instant> validFrom, Optional<Instant> validUntil) {
    public LogKey {
      Objects.requireNonNull(logId, "logId");
      Objects.requireNonNull(keyDetails, "keyDetails");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(validFrom, "validFrom");
      Objects.requireNonNull(validUntil, "validUntil");
    }

    boolean validAt(Instant time) {
      return validFrom.map(start -> !time.isBefore(start)).orElse(true)
          && validUntil.map(end -> !time.isAfter(end)).orElse(true);
    }

    /** Verifies a log signature over {@code data}: ECDSA (DER, SHA-256) or Ed25519, by the key's type. */
    boolean verifies(byte[] data, byte[] signature) {
      if (key.isEmpty()) {
        return false;
      }
      try {
        if (keyDetails.equals(ECDSA_P256)) {
          return Ecdsa.verify(key.get(), data, signature);
        }
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key.get());
        verifier.update(data);
        return verifier.verify(signature);
      } catch (GeneralSecurityException | RuntimeException e) {
        return false;
      }
    }
  }

  private final List<LogKey> logs;

  private TransparencyLogKeys(List<LogKey> logs) {
    this.logs = List.copyOf(logs);
  }

  /** Trusts these ECDSA P-256 log keys, each without time bounds; the log id is the key id. */
  public static TransparencyLogKeys of(PublicKey... keys) {
    List<LogKey> logs = new ArrayList<>();
    for (PublicKey key : keys) {
      logs.add(new LogKey(PublicKeys.keyId(key), ECDSA_P256, Optional.of(key), Optional.empty(), Optional.empty()));
    }
    return new TransparencyLogKeys(logs);
  }

  /** Reads the {@code tlogs} of a trusted root; failures are the user's input (exit 2). */
  public static TransparencyLogKeys fromTrustedRoot(Path trustedRoot) {
    Objects.requireNonNull(trustedRoot, "trustedRoot");
    byte[] json;
    try {
      json = Files.readAllBytes(trustedRoot);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(trustedRoot + ": no such file");
    } catch (IOException e) {
      throw new InvalidInputException(trustedRoot + ": cannot read: " + e.getMessage());
    }
    try {
      return fromTrustedRoot(json);
    } catch (IOException e) {
      throw new InvalidInputException(trustedRoot + ": " + e.getMessage());
    }
  }

  /** Reads the {@code tlogs} of a trusted root given as bytes. */
  public static TransparencyLogKeys fromTrustedRoot(byte[] trustedRootJson) throws IOException {
    JsonNode root;
    try {
      root = Json.parse(trustedRootJson);
    } catch (JsonProcessingException e) {
      throw new IOException("trusted root is not valid JSON: " + e.getOriginalMessage());
    }
    JsonNode mediaType = root.get("mediaType");
    if (mediaType == null || !TRUSTED_ROOT_MEDIA_TYPE.equals(mediaType.textValue())) {
      throw new IOException("not a trusted root (mediaType must be " + TRUSTED_ROOT_MEDIA_TYPE + ")");
    }
    JsonNode tlogs = root.get("tlogs");
    if (tlogs == null || !tlogs.isArray() || tlogs.isEmpty()) {
      throw new IOException("trusted root lists no transparency logs (tlogs)");
    }
    List<LogKey> logs = new ArrayList<>();
    for (JsonNode tlog : tlogs) {
      String where = "tlogs[" + logs.size() + "]";
      JsonNode publicKey = tlog.path("publicKey");
      String keyId = tlog.path("logId").path("keyId").asText("");
      String rawBytes = publicKey.path("rawBytes").asText("");
      String details = publicKey.path("keyDetails").asText("");
      if (keyId.isEmpty() || rawBytes.isEmpty() || details.isEmpty()) {
        throw new IOException(where + ": needs logId.keyId, publicKey.rawBytes and publicKey.keyDetails");
      }
      byte[] id;
      byte[] der;
      try {
        id = Base64.getDecoder().decode(keyId);
        der = Base64.getDecoder().decode(rawBytes);
      } catch (IllegalArgumentException e) {
        throw new IOException(where + ": logId.keyId and publicKey.rawBytes must be base64");
      }
      Optional<PublicKey> key = switch (details) {
        case ECDSA_P256 -> Optional.of(decode("EC", der, where));
        case ED25519 -> Optional.of(decode("Ed25519", der, where));
        default -> Optional.empty();
      };
      logs.add(new LogKey(HexFormat.of().formatHex(id), details, key,
          instant(publicKey.path("validFor").path("start"), where), instant(publicKey.path("validFor").path("end"), where)));
    }
    return new TransparencyLogKeys(logs);
  }

  private static PublicKey decode(String algorithm, byte[] der, String where) throws IOException {
    try {
      return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IOException(where + ": publicKey.rawBytes is not a valid " + algorithm + " key");
    }
  }

  private static Optional<Instant> instant(JsonNode node, String where) throws IOException {
    if (node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(node.asText()));
    } catch (DateTimeParseException e) {
      throw new IOException(where + ": validFor time is not RFC 3339: " + node.asText());
    }
  }

  /** The log with this hex id. */
  public Optional<LogKey> find(String logId) {
    return logs.stream().filter(log -> log.logId().equals(logId)).findFirst();
  }

  public List<LogKey> logs() {
    return logs;
  }
}
