package dev.releasegate.image;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What one layer deletes from the layers below it (OCI image spec, "Whiteouts"): never what it adds
 * itself.
 *
 * @param whiteouts paths deleted with {@code .wh.NAME}, each with everything under it
 * @param opaqueDirectories folders whose lower-layer content {@code .wh..wh..opq} hides
 */
record Deletions(Set<String> whiteouts, Set<String> opaqueDirectories) {
  Deletions {
    whiteouts = Collections.unmodifiableSet(new LinkedHashSet<>(whiteouts));
    opaqueDirectories = Collections.unmodifiableSet(new LinkedHashSet<>(opaqueDirectories));
  }

  /** True when {@code path} of a lower layer is deleted: itself, or inside a deleted or opaque folder. */
  boolean hides(String path) {
    for (String deleted : whiteouts) {
      if (path.equals(deleted) || path.startsWith(deleted.equals("/") ? "/" : deleted + "/")) {
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
