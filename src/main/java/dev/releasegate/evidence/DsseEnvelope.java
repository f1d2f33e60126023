package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A DSSE envelope: a typed payload and signatures over its {@link Dsse#pae PAE}. Immutable. */
public final class DsseEnvelope {
  private static final Set<String> ENVELOPE_KEYS = Set.of("payloadType", "payload", "signatures");
  private static final Set<String> SIGNATURE_KEYS = Set.of("keyid", "sig");

  /**
   * One signature.
   *
   * @param keyid a hint naming the key; empty when the signer gave none
   * @param sig the raw signature bytes
   */
  public record Signature(Optional<String> keyid, byte[] sig) {
    public Signature {
      Objects.requireNonNull(keyid, "keyid");
      sig = sig.clone();
    }

    @Override
    public byte[] sig() {
      return sig.clone();
    }
  }

  private final String payloadType;
  private final byte[] payload;
  private final List<Signature> signatures;

  public DsseEnvelope(String payloadType, byte[] payload, List<Signature> signatures) {
    this.payloadType = Objects.requireNonNull(payloadType, "payloadType");
    this.payload = payload.clone();
    this.signatures = List.copyOf(signatures);
  }

  public String payloadType() {
    return payloadType;
  }

  public byte[] payload() {
    return payload.clone();
  }

  public List<Signature> signatures() {
    return signatures;
  }

  /** The bytes each signature is over. */
  public byte[] pae() {
    return Dsse.pae(payloadType, payload);
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("payloadType", payloadType);
    node.put("payload", Base64.getEncoder().encodeToString(payload));
    ArrayNode list = node.putArray("signatures");
    for (Signature signature : signatures) {
      ObjectNode entry = list.addObject();
      signature.keyid().ifPresent(keyid -> entry.put("keyid", keyid));
      entry.put("sig", Base64.getEncoder().encodeToString(signature.sig()));
    }
    return node;
  }

  /**
   * Reads an envelope strictly: exactly the DSSE keys, strings where strings belong, standard base64,
   * at least one signature. Anything else is refused rather than guessed at.
   */
  public static DsseEnvelope parse(byte[] json) throws IOException {
    JsonNode node = Json.parse(json);
    requireKeys(node, ENVELOPE_KEYS, Set.of("payloadType", "payload", "signatures"), "envelope");
    String payloadType = text(node, "payloadType");
    byte[] payload = base64(text(node, "payload"), "payload");
    JsonNode list = node.get("signatures");
    if (!list.isArray() || list.isEmpty()) {
      throw new IOException("envelope: signatures must be a non-empty array");
    }
    List<Signature> signatures = new ArrayList<>();
    for (JsonNode entry : list) {
      requireKeys(entry, SIGNATURE_KEYS, Set.of("sig"), "signature");
      Optional<String> keyid =
          entry.has("keyid") ? Optional.of(text(entry, "keyid")) : Optional.empty();
      signatures.add(new Signature(keyid, base64(text(entry, "sig"), "sig")));
    }
    return new DsseEnvelope(payloadType, payload, signatures);
  }

  private static void requireKeys(JsonNode node, Set<String> allowed, Set<String> required, String what)
      throws IOException {
    if (!node.isObject()) {
      throw new IOException(what + ": expected a JSON object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new IOException(what + ": unexpected key '" + name + "'");
      }
    }
    for (String name : required) {
      if (!node.has(name)) {
        throw new IOException(what + ": missing '" + name + "'");
      }
    }
  }

  private static String text(JsonNode node, String key) throws IOException {
    JsonNode value = node.get(key);
    if (!value.isTextual()) {
      throw new IOException("'" + key + "' must be a string");
    }
    return value.textValue();
  }

  private static byte[] base64(String text, String key) throws IOException {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IOException("'" + key + "' is not standard base64");
    }
  }
}
