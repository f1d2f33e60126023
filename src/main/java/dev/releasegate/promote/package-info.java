/**
 * Promotion: a verified release copied with its attachments to another repository, the environment tag
 * moved under a lock, the promotion attested; the history of an environment. It may import {@code base},
 * {@code cosign}, {@code evidence}, {@code publish}, {@code registry} and {@code spi}.
 */
package dev.releasegate.promote;
