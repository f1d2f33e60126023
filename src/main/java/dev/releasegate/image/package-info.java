/**
 * Container images read from a registry by digest, as streams, for the stages that look inside them
 * (the SBOM and the readiness lint).
 *
 * <ul>
 *   <li>{@link dev.releasegate.image.RemoteImage}: manifest and config through
 *       {@link dev.releasegate.registry.RegistryAccess}, then every layer streamed through a temporary
 *       file, a few at a time, each checked against its manifest size and its config diff_id.
 *   <li>{@link dev.releasegate.image.ImageConfig}: the config fields releasegate reads, parsed strictly.
 *   <li>{@link dev.releasegate.image.LayerChanges}: one layer read with commons-compress (gzip or plain
 *       tar; zstd is refused by name), each file offered to a {@link dev.releasegate.image.FileSelector}
 *       that keeps what its stage needs, from parsed metadata to a hash.
 *   <li>{@link dev.releasegate.image.ImageFiles}: the layers merged as a container runtime merges them
 *       (whiteouts, opaque folders, hard and symbolic links), with symbolic links resolved per path
 *       component and, for each deleted path, the layer that deleted it.
 * </ul>
 *
 * No layer is ever held in memory: content is streamed past the selectors and only what they keep
 * stays. Nothing here prints; problems are exceptions whose message says what is wrong and where. It may
 * import {@code base}, {@code registry} and {@code spi}.
 */
package dev.releasegate.image;
