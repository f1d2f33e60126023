/**
 * The evidence bundle: DSSE envelopes and their signers and verifiers, in-toto statements, the run
 * record, the verdict, the bundle's layout, writer and verifier, and the verifier's policy and report.
 * It may import {@code base}, {@code sign} and {@code spi}.
 */
package dev.releasegate.evidence;
