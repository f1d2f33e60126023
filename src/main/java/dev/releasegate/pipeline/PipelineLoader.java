package dev.releasegate.pipeline;

import dev.releasegate.base.InvalidInputException;
import dev.releasegate.evidence.BoundedFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the pipeline file of a release: the one given, else the project's own, else the built-in one. */
public final class PipelineLoader {
  public static final String PROJECT_FILE = "releasegate.yaml";
  public static final String BUILTIN_LOCATION = "builtin:release.yaml";
  private static final String BUILTIN_RESOURCE = "/dev/releasegate/pipelines/release.yaml";
  /** Far above any real pipeline; a parser handed more is only being kept busy. */
  public static final long MAX_BYTES = 1L << 20;

  private PipelineLoader() {}

  public static Pipeline load(Optional<Path> given, Path projectDirectory, StageTypes types) {
    PipelineValidator validator = new PipelineValidator(types);
    if (given.isPresent()) {
      return validator.validate(given.get().toString(), read(given.get()));
    }
    Path projectFile = projectDirectory.resolve(PROJECT_FILE);
    if (Files.exists(projectFile)) {
      return validator.validate(projectFile.toString(), read(projectFile));
    }
    return validator.validate(BUILTIN_LOCATION, builtin());
  }

  public static byte[] builtin() {
    try (InputStream in = PipelineLoader.class.getResourceAsStream(BUILTIN_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the built-in pipeline is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the built-in pipeline", e);
    }
  }

  private static byte[] read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("pipeline file " + file + " does not exist");
    }
    try {
      return BoundedFiles.read(file, MAX_BYTES);
    } catch (BoundedFiles.TooLargeException e) {
      throw new InvalidInputException("pipeline file " + e.getMessage());
    } catch (IOException e) {
      throw new InvalidInputException("cannot read pipeline file " + file + ": " + e.getMessage(), e);
    }
  }
}
