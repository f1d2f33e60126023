package dev.releasegate.image;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * An image's file tree after its last layer, as a container runtime builds it, restricted to what
 * the {@link FileSelector}s kept, plus every symbolic link (so that paths resolve as in the running
 * container).
 *
 * <p>Layers apply bottom to top, each entry in archive order: a later entry replaces what is at its
 * path, a file or link replaces a folder and everything in it, a folder replaces a file or link (but
 * not the lower content of a folder), {@code .wh.NAME} deletes NAME of the layers below and
 * {@code .wh..wh..opq} empties its folder of the layers below (OCI image spec, "Whiteouts"). A hard
 * link gets what its selector kept of it, else what its target has when it is applied.
 *
 * <p>A deleted file is gone from the tree but not from the image: {@link #deletedBy} tells which
 * later layer deleted a path that an earlier layer still ships in its blob.
 *
 * @param <T> what the selectors kept of a file
 */
public final class ImageFiles<T> {
  /** Linux follows at most 40 links in one lookup (ELOOP); a loop resolves to nothing. */
  private static final int MAX_SYMLINK_HOPS = 40;

  /** A file or link in the tree: the layer that wrote it, and its value or link target. */
  private record Node<T>(int layer, T value, String symlink) {
    Node<T> at(int other) {
      return new Node<>(other, value, symlink);
    }
  }

  private final NavigableMap<String, T> files;
  private final NavigableMap<String, String> symlinks;
  private final List<Deletions> deletions;

  private ImageFiles(NavigableMap<String, T> files, NavigableMap<String, String> symlinks, List<Deletions> deletions) {
    this.files = Collections.unmodifiableNavigableMap(files);
    this.symlinks = Collections.unmodifiableNavigableMap(symlinks);
    this.deletions = List.copyOf(deletions);
  }

  /** Applies the layers bottom to top ({@code layers.get(0)} is the base). */
  public static <T> ImageFiles<T> merge(List<LayerChanges<T>> layers) {
    TreeMap<String, Node<T>> tree = new TreeMap<>();
    List<Deletions> deletions = new ArrayList<>();
    for (int layer = 0; layer < layers.size(); layer++) {
      for (LayerChanges.Change<T> change : layers.get(layer).changes()) {
        apply(tree, layer, change);
      }
      deletions.add(layers.get(layer).deletions());
    }
    TreeMap<String, T> files = new TreeMap<>();
    TreeMap<String, String> symlinks = new TreeMap<>();
    tree.forEach((path, node) -> {
      if (node.symlink() != null) {
        symlinks.put(path, node.symlink());
      } else {
        files.put(path, node.value());
      }
    });
    return new ImageFiles<>(files, symlinks, deletions);
  }

  private static <T> void apply(TreeMap<String, Node<T>> tree, int layer, LayerChanges.Change<T> change) {
    LayerEntry entry = change.entry();
    String path = entry.path();
    switch (entry.type()) {
      case OPAQUE_WHITEOUT -> removeUnder(tree, path, layer);
      case WHITEOUT -> {
        Node<T> existing = tree.get(path);
        if (existing != null && existing.layer() < layer) {
          tree.remove(path);
        }
        removeUnder(tree, path, layer);
      }
      case DIRECTORY -> tree.remove(path);
      default -> {
        removeUnder(tree, path, layer);
        tree.remove(path);
        Node<T> kept = switch (entry.type()) {
          case SYMLINK -> new Node<>(layer, null, entry.linkTarget());
          case HARDLINK -> change.value() != null ? new Node<>(layer, change.value(), null) : copy(tree.get(entry.linkTarget()), layer);
          case FILE -> change.value() != null ? new Node<>(layer, change.value(), null) : null;
          default -> null;
        };
        if (kept != null) {
          tree.put(path, kept);
        }
      }
    }
  }

  private static <T> Node<T> copy(Node<T> target, int layer) {
    return target == null ? null : target.at(layer);
  }

  /** Deletes what lower layers put under {@code directory} (not the directory itself). */
  private static <T> void removeUnder(TreeMap<String, Node<T>> tree, String directory, int layer) {
    String prefix = directory.equals("/") ? "/" : directory + "/";
    // '/' + 1 == '0': every key that starts with prefix sorts before prefix with its '/' replaced by '0'.
    String end = prefix.substring(0, prefix.length() - 1) + "0";
    Iterator<Node<T>> under = tree.subMap(prefix, true, end, false).values().iterator();
    while (under.hasNext()) {
      if (under.next().layer() < layer) {
        under.remove();
      }
    }
  }

  /** What was kept of each file in the tree (symbolic links aside), by absolute path. */
  public NavigableMap<String, T> files() {
    return files;
  }

  /** Every symbolic link in the tree: absolute path to target, as written. */
  public NavigableMap<String, String> symlinks() {
    return symlinks;
  }

  /** What was kept of the file at {@code path}, following symbolic links in every path component, as the kernel would. */
  public Optional<T> find(String path) {
    return resolve(path).map(files::get);
  }

  /** {@code path} with every symbolic link in it replaced by its target; empty for a link loop. */
  public Optional<String> resolve(String path) {
    String current = ImagePath.normalize(path);
    for (int hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
      String replaced = null;
      int at = 0;
      while (at < current.length()) {
        int next = current.indexOf('/', at + 1);
        String prefix = next < 0 ? current : current.substring(0, next);
        String target = symlinks.get(prefix);
        if (target != null) {
          String base = target.startsWith("/") ? target : ImagePath.parent(prefix) + "/" + target;
          replaced = ImagePath.normalize(base + (next < 0 ? "" : current.substring(next)));
          break;
        }
        at = next < 0 ? current.length() : next;
      }
      if (replaced == null) {
        return Optional.of(current);
      }
      current = replaced;
    }
    return Optional.empty();
  }

  /**
   * The first layer above {@code layer} (0 is the base) that deletes {@code path} with a whiteout. A
   * deleted file is still in its own layer's blob, which anyone who can pull the image can read.
   */
  public OptionalInt deletedBy(String path, int layer) {
    for (int later = layer + 1; later < deletions.size(); later++) {
      if (deletions.get(later).hides(path)) {
        return OptionalInt.of(later);
      }
    }
    return OptionalInt.empty();
  }
}
