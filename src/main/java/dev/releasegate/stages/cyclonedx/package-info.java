/**
 * The {@code cyclonedx} stage: the CycloneDX 1.6 SBOM of the image, read by digest (cyclonedx-core-java).
 * Like every stage package it may import {@code base}, {@code spi} and the helpers below the stages
 * ({@code image}, {@code process}, {@code registry}, {@code waivers}, {@code evidence}, {@code cosign}),
 * other stages' public types, never {@code pipeline} or {@code api}.
 */
package dev.releasegate.stages.cyclonedx;
