package dev.releasegate.cosign;

import dev.releasegate.testing.LocalRegistry;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link CosignInterop} on a registry with the OCI 1.1 referrers API (go-containerregistry's). */
class CosignPeersReferrersApiIT extends CosignInterop {
  @RegisterExtension static LocalRegistry registry = new LocalRegistry().withReferrersApi();

  @Override
  LocalRegistry registry() {
    return registry;
  }
}
