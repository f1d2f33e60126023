/**
 * The {@code verify} stage: what the registry now holds for the image, read back and verified in both
 * signature formats. It may import what {@link dev.releasegate.stages} says a stage may.
 */
package dev.releasegate.stages.verify;
