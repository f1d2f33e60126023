/**
 * The {@code trivy} stage: the vulnerability scan of the image (or its SBOM) with Trivy, gated by
 * severity and waivers. It may import what {@link dev.releasegate.stages} says a stage may.
 */
package dev.releasegate.stages.trivy;
