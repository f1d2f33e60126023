package dev.releasegate.stages.trivy;

import dev.releasegate.base.InvalidInputException;
import dev.releasegate.process.ProjectPaths;
import dev.releasegate.stages.trivy.Waivers.Waiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The waivers file the scan applies, as read: with its bytes, so that the evidence keeps exactly what
 * was applied, and its digest names it in the policy.
 *
 * @param name as written in the pipeline file, relative to the project
 */
record ScanWaivers(String name, byte[] content, List<Waiver> waivers) {

  ScanWaivers {
    Objects.requireNonNull(name, "name");
    content = content.clone();
    waivers = List.copyOf(waivers);
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  /** The file {@code name} names, if any; one that is missing or does not parse is the user's to fix. */
  static Optional<ScanWaivers> read(Path project, Optional<String> name) throws IOException {
    if (name.isEmpty()) {
      return Optional.empty();
    }
    Path file = ProjectPaths.inside(project, name.get(), "waivers");
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("waivers file " + name.get() + " not found in the project");
    }
    byte[] content = Files.readAllBytes(file);
    return Optional.of(new ScanWaivers(name.get(), content, Waivers.parse(content, name.get())));
  }
}
