package dev.releasegate.spi;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The stage's folder in the evidence bundle, {@code artifacts/<stage>/}. Every file in it is hashed
 * into the signed verdict when the stage ends, whether or not the stage names it.
 */
public interface ArtifactStore {

  /** The folder, created on first use. A stage may also write files here itself. */
  Path directory() throws IOException;

  /** Writes {@code content} atomically to {@code name} (a relative path) and describes it. */
  Artifact write(String name, byte[] content) throws IOException;

  /** Copies {@code source} atomically to {@code name} and describes it. */
  Artifact copy(Path source, String name) throws IOException;

  /** Describes a file the stage wrote under {@link #directory()} itself. */
  Artifact describe(Path file) throws IOException;
}
