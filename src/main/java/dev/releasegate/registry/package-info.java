/**
 * Registry access on jib-core: credentials, retries, manifests by exact bytes, blob copies and OCI 1.1
 * referrers (the API, or the referrers tag schema). It knows nothing of stages or evidence: it may import
 * {@code base} only.
 */
package dev.releasegate.registry;
