/**
 * The shared vocabulary below every other package: small helpers that know nothing of stages,
 * registries or evidence. It imports nothing of releasegate; everything may import it.
 */
package dev.releasegate.base;
