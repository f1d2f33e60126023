/**
 * Which CI system runs a release (GitHub Actions, Jenkins) and the facts it gives (run URL, ids). It may
 * import {@code spi}.
 */
package dev.releasegate.ci;
