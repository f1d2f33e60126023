package dev.releasegate.stages.readiness;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one layer holds that the lint needs, read in one pass over its tar stream.
 *
 * @param index 1 for the bottom layer
 * @param size compressed bytes, as the manifest lists them (and as read)
 * @param uncompressedSize bytes of the tar stream
 * @param entries tar entries, whiteouts included
 * @param scannedFiles regular files whose content was scanned (text files up to the size cap)
 * @param unscannedFiles regular files above the size cap, checked by name only
 * @param secrets files that hold a secret, by kind
 * @param tools package managers and shells this layer adds, by path
 * @param whiteouts paths this layer deletes from the layers below ({@code .wh.<name>})
 * @param opaqueDirectories folders whose lower-layer content this layer hides ({@code .wh..wh..opq})
 * @param passwd this layer's {@code /etc/passwd}, if it writes one
 */
record LayerReport(
    int index,
    String digest,
    long size,
    long uncompressedSize,
    int entries,
    int scannedFiles,
    int unscannedFiles,
    List<FileSecret> secrets,
    Set<String> tools,
    Set<String> whiteouts,
    Set<String> opaqueDirectories,
    Optional<String> passwd) {

  LayerReport {
    secrets = List.copyOf(secrets);
    tools = Set.copyOf(tools);
    whiteouts = Set.copyOf(whiteouts);
    opaqueDirectories = Set.copyOf(opaqueDirectories);
  }

  /** A secret in a file: where, and what kind (never its content). */
  record FileSecret(int layer, String path, String kind) {}

  /** True when this layer hides {@code path} of a lower layer: deleted itself, or inside a deleted or opaque folder. */
  boolean hides(String path) {
    for (String deleted : whiteouts) {
      if (path.equals(deleted) || path.startsWith(deleted + "/")) {
        return true;
      }
    }
    for (String folder : opaqueDirectories) {
      if (folder.equals("/") || path.startsWith(folder + "/")) {
        return true;
      }
    }
    return false;
  }
}
