/**
 * The {@code readiness} stage: a production lint of the image (user, secrets, size, labels, base pin,
 * entrypoint, …) with waivers. It may import what {@link dev.releasegate.stages} says a stage may.
 */
package dev.releasegate.stages.readiness;
