package dev.releasegate.image;

/**
 * One entry of a layer's tar stream, as the OCI image spec reads it: whiteout files are not files but
 * deletions of what lower layers put at a path.
 *
 * @param path absolute and normalized ({@link ImagePath#normalize}); for a whiteout the path it
 *     deletes, for an opaque whiteout the folder whose lower-layer content it hides
 * @param size content bytes of a {@link Type#FILE}; 0 for every other type
 * @param linkTarget a symbolic link's target as written (relative or absolute); a hard link's target
 *     as a normalized path; empty for other types
 */
public record LayerEntry(String path, Type type, long size, String linkTarget) {
  /** What an entry does to the file tree. */
  public enum Type {
    /** A regular file (tar types {@code 0}, NUL and {@code 7}) with content. */
    FILE,
    DIRECTORY,
    SYMLINK,
    /** A second name for a file written earlier in the same archive. */
    HARDLINK,
    /** {@code .wh.NAME}: deletes NAME, and everything under it, of the layers below. */
    WHITEOUT,
    /** {@code .wh..wh..opq}: hides what the layers below have in its folder. */
    OPAQUE_WHITEOUT,
    /** Devices, FIFOs, GNU sparse and other entries that hold nothing this package reads. */
    OTHER
  }

  /** The last path component, e.g. {@code id_rsa} for {@code /root/.ssh/id_rsa}. */
  public String name() {
    return ImagePath.name(path);
  }
}
