package dev.releasegate.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a command's argument names a bundle folder or an image whose attached evidence to fetch. */
final class EvidenceSource {
  private EvidenceSource() {}

  /** {@code REPOSITORY@sha256:…} that is not an existing path. */
  static boolean isImage(String argument) {
    return argument.contains("@sha256:") && !Files.exists(Path.of(argument));
  }
}
