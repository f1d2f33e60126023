/**
 * The {@code smoke} stage: the image run by digest in podman or docker, hardened, probed, and stopped. It
 * may import what {@link dev.releasegate.stages} says a stage may.
 */
package dev.releasegate.stages.smoke;
