/**
 * What a released run attaches to its image: the verdict (in each signature format the image has) and the
 * evidence bundle as an OCI artifact. It may import {@code base}, {@code cosign}, {@code evidence},
 * {@code registry}, {@code sign} and {@code spi}.
 */
package dev.releasegate.publish;
