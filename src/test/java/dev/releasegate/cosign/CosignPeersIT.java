package dev.releasegate.cosign;

import dev.releasegate.testing.LocalRegistry;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link CosignInterop} on Debian's docker-registry 2.8, which has no referrers API: the referrers tag schema. */
class CosignPeersIT extends CosignInterop {
  @RegisterExtension static LocalRegistry registry = new LocalRegistry();

  @Override
  LocalRegistry registry() {
    return registry;
  }
}
