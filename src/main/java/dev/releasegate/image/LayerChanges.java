package dev.releasegate.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one layer does to the image's file tree, read in one pass over its blob: every entry in
 * archive order, each file with what a {@link FileSelector} kept of it, and the layer's whiteouts.
 * Layers are read independently (at the same time, if wanted); {@link ImageFiles#merge} applies them
 * bottom to top.
 *
 * <p>Every entry's path is recorded, kept or not, since any entry replaces what the layers below have
 * at its path. No content is held beyond what the selector keeps.
 *
 * @param <T> what the selector keeps of a file
 */
public final class LayerChanges<T> {
  /** One entry, and what was kept of it (null when nothing). */
  record Change<T>(LayerEntry entry, T value) {}

  private final LayerSummary summary;
  private final List<Change<T>> changes;
  private final Deletions deletions;

  private LayerChanges(LayerSummary summary, List<Change<T>> changes, Deletions deletions) {
    this.summary = summary;
    this.changes = changes;
    this.deletions = deletions;
  }

  /**
   * Reads a layer blob (gzip or plain tar) to its end, asking {@code selector} about each file.
   *
   * @throws IOException when the blob is not a tar or tar.gz archive, is cut short or corrupt (the
   *     message says which), or when the selector throws
   */
  public static <T> LayerChanges<T> read(InputStream blob, FileSelector<? extends T> selector) throws IOException {
    List<Change<T>> changes = new ArrayList<>();
    Set<String> whiteouts = new LinkedHashSet<>();
    Set<String> opaque = new LinkedHashSet<>();
    LayerSummary summary = LayerReader.read(blob, (entry, content) -> {
      T value = null;
      switch (entry.type()) {
        case WHITEOUT -> whiteouts.add(entry.path());
        case OPAQUE_WHITEOUT -> opaque.add(entry.path());
        default -> {
          if (entry.path().equals("/")) {
            return; // the root folder itself ("./"): nothing replaces it
          }
          if (entry.type() == LayerEntry.Type.FILE || entry.type() == LayerEntry.Type.HARDLINK) {
            value = selector.select(entry, content);
          }
        }
      }
      changes.add(new Change<>(entry, value));
    });
    return new LayerChanges<>(summary, changes, new Deletions(whiteouts, opaque));
  }

  public LayerSummary summary() {
    return summary;
  }

  /** The paths this layer deletes from the layers below it ({@code .wh.NAME}), in archive order. */
  public Set<String> whiteouts() {
    return deletions.whiteouts();
  }

  /** The folders whose content in the layers below this layer hides ({@code .wh..wh..opq}). */
  public Set<String> opaqueDirectories() {
    return deletions.opaqueDirectories();
  }

  /** True when this layer deletes {@code path} of a lower layer: itself, or inside a deleted or opaque folder. */
  public boolean hides(String path) {
    return deletions.hides(path);
  }

  List<Change<T>> changes() {
    return changes;
  }

  Deletions deletions() {
    return deletions;
  }
}
