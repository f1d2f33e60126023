/**
 * The {@code jib} stage: the image built with jib-core, by digest only, reproducibly, with OCI labels. It
 * may import what {@link dev.releasegate.stages} says a stage may.
 */
package dev.releasegate.stages.jib;
