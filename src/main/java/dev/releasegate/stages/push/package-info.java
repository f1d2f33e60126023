/**
 * The {@code push} stage: the release's tags, each written only where it is new or already names the
 * digest, under a lock; and the tag templates the readiness lint checks too. It may import what
 * {@link dev.releasegate.stages} says a stage may.
 */
package dev.releasegate.stages.push;
