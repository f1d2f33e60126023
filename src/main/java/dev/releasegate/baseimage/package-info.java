/**
 * The example's base image: a distroless-style Java 17 image built from Debian packages with jib-core
 * ({@code scripts/base-image}). It may import {@code base}.
 */
package dev.releasegate.baseimage;
