/**
 * Keys and signatures: cosign's encrypted key files, PEM public keys and key ids, ECDSA P-256. It may
 * import {@code base} and {@code spi}.
 */
package dev.releasegate.sign;
