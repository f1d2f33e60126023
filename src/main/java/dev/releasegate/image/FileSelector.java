package dev.releasegate.image;

import java.io.IOException;
import java.io.InputStream;

/**
 * Decides what {@link ImageFiles} keeps of a file while its layer streams by: a value made from the
 * path and (optionally) the content, or null to keep nothing. Reading the content is optional and it
 * need not be read to its end; closing it is not needed.
 *
 * <p>It is asked about {@link LayerEntry.Type#FILE} entries, with their content, and about
 * {@link LayerEntry.Type#HARDLINK} entries, with empty content; a hard link it keeps nothing of gets
 * the value its target has at that point. One selector reads one layer, on one thread.
 *
 * @param <T> what is kept of a file
 */
@FunctionalInterface
public interface FileSelector<T> {
  T select(LayerEntry entry, InputStream content) throws IOException;
}
