package dev.releasegate.sign;

import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl {@code crypto_secretbox} (XSalsa20-Poly1305), byte-compatible with Go's
 * {@code golang.org/x/crypto/nacl/secretbox} that cosign uses. BouncyCastle has the two primitives but
 * not the construction: the first 32 bytes of the XSalsa20 keystream are the one-time Poly1305 key, the
 * rest encrypts the message, and the box is the 16-byte tag followed by the ciphertext.
 */
final class SecretBox {
  static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 24;
  static final int TAG_BYTES = 16;

  private SecretBox() {}

  static byte[] seal(byte[] key, byte[] nonce, byte[] message) {
    XSalsa20Engine stream = stream(key, nonce);
    Poly1305 mac = oneTimeMac(stream);
    byte[] box = new byte[TAG_BYTES + message.length];
    stream.processBytes(message, 0, message.length, box, TAG_BYTES);
    mac.update(box, TAG_BYTES, message.length);
    mac.doFinal(box, 0);
    return box;
  }

  /** Returns the message, or null when the tag does not authenticate (wrong key or altered box). */
  static byte[] open(byte[] key, byte[] nonce, byte[] box) {
    if (box.length < TAG_BYTES) {
      return null;
    }
    XSalsa20Engine stream = stream(key, nonce);
    Poly1305 mac = oneTimeMac(stream);
    mac.update(box, TAG_BYTES, box.length - TAG_BYTES);
    byte[] expected = new byte[TAG_BYTES];
    mac.doFinal(expected, 0);
    if (!org.bouncycastle.util.Arrays.constantTimeAreEqual(TAG_BYTES, expected, 0, box, 0)) {
      return null;
    }
    byte[] message = new byte[box.length - TAG_BYTES];
    stream.processBytes(box, TAG_BYTES, message.length, message, 0);
    return message;
  }

  private static XSalsa20Engine stream(byte[] key, byte[] nonce) {
    if (key.length != KEY_BYTES || nonce.length != NONCE_BYTES) {
      throw new IllegalArgumentException("secretbox needs a 32-byte key and a 24-byte nonce");
    }
    XSalsa20Engine engine = new XSalsa20Engine();
    engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    return engine;
  }

  /** The first 32 keystream bytes key Poly1305; the stream is left at byte 32, where the message starts. */
  private static Poly1305 oneTimeMac(XSalsa20Engine stream) {
    byte[] macKey = new byte[KEY_BYTES];
    stream.processBytes(new byte[KEY_BYTES], 0, KEY_BYTES, macKey, 0);
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(macKey));
    Arrays.fill(macKey, (byte) 0);
    return mac;
  }
}
