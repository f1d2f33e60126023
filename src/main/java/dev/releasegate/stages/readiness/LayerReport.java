package dev.releasegate.stages.readiness;

import java.util.List;

/**
 * What the lint found in one layer.
 *
 * @param index 1 for the bottom layer
 * @param size compressed bytes, as the manifest lists them (and as read)
 * @param uncompressedSize bytes of the tar stream
 * @param extractedSize bytes of the regular files once extracted (a sparse file counts in full)
 * @param entries tar entries, whiteouts included
 * @param scannedFiles regular files, each checked by name and its whole content scanned
 * @param secrets files that hold a secret, by kind
 */
record LayerReport(
    int index,
    String digest,
    long size,
    long uncompressedSize,
    long extractedSize,
    int entries,
    int scannedFiles,
    List<FileSecret> secrets) {

  LayerReport {
    secrets = List.copyOf(secrets);
  }

  /** A secret in a file: where, and what kind (never its content). */
  record FileSecret(int layer, String path, String kind) {}
}
