package dev.releasegate.evidence;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The DSSE v1 pre-authentication encoding: what is actually signed. */
public final class Dsse {
  public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

  private Dsse() {}

  /**
   * {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, where LEN is the decimal byte length
   * (not the character count, which differs for non-ASCII types).
   */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }
}
