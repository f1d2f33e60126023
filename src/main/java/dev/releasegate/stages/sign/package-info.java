/**
 * The {@code sign} stage: the image's signature and the run's attestations, in cosign's legacy tags and as
 * Sigstore bundle referrers. It may import what {@link dev.releasegate.stages} says a stage may.
 */
package dev.releasegate.stages.sign;
