package dev.releasegate.api;

import dev.releasegate.cosign.KeylessIdentity;
import java.nio.file.Path;
import java.util.Objects;

/** Who must have signed: a public key, or a keyless identity checked offline against a Sigstore trusted root. */
public sealed interface Trust {
  /** Signatures by this cosign public key (PEM). */
  record Key(Path publicKey) implements Trust {
    public Key {
      Objects.requireNonNull(publicKey, "publicKey");
    }
  }

  /** Fulcio certificates for this identity, with their log entries, verified against this {@code trusted_root.json}. */
  record Keyless(KeylessIdentity identity, Path trustedRoot) implements Trust {
    public Keyless {
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(trustedRoot, "trustedRoot");
    }
  }
}
