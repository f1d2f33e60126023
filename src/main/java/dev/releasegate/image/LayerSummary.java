package dev.releasegate.image;

/**
 * What reading a layer blob to its end measured.
 *
 * @param size bytes of the blob as stored (compressed, for a gzip layer)
 * @param uncompressedSize bytes of the tar stream
 * @param diffId {@code sha256:} of the tar stream, which the image config lists in {@code rootfs.diff_ids}
 * @param entries tar entries, whiteouts included (PAX and GNU long-name headers are part of the entry they describe)
 * @param fileSize bytes of the regular files once extracted: a sparse file counts its full size
 */
public record LayerSummary(long size, long uncompressedSize, String diffId, int entries, long fileSize) {}
