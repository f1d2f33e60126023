package dev.releasegate.stages.jib;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.process.ProjectPaths;
import dev.releasegate.spi.BuildOutputs;
import dev.releasegate.spi.StageContext;
import dev.releasegate.stages.FreshBuild;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What the build left for the image: its classes folder, the dependency jars (sorted, so that the
 * layers come out the same) and the main class.
 */
record AppFiles(Path classes, List<Path> dependencies, String mainClass) {
  AppFiles {
    Objects.requireNonNull(classes, "classes");
    dependencies = List.copyOf(dependencies);
    Objects.requireNonNull(mainClass, "mainClass");
  }

  /** What an earlier build of this run wrote; the main class as the options say, or from the project's jar beside the classes. */
  static AppFiles of(Path project, BuildOutputs built, JibOptions options) {
    // Whoever built it (the test stage, the Maven plug-in): the image holds only what that build wrote.
    FreshBuild.check(project, built.classes(), built.startedAt());
    return new AppFiles(built.classes(), built.runtimeJars(), MainClasses.find(options.mainClass(), built.classes().getParent()));
  }

  /** Finds them where the options say, inside {@code project}; a build without the classes folder is the pipeline's to fix. */
  static AppFiles find(Path project, JibOptions options) {
    Path classes = ProjectPaths.inside(project, options.classes(), "classes");
    if (!Files.isDirectory(classes)) {
      throw new InvalidInputException("the build left no " + options.classes() + "; set 'classes' in the jib stage to where the build writes classes");
    }
    List<Path> dependencies = jars(ProjectPaths.inside(project, options.dependencies(), "dependencies"));
    String mainClass = MainClasses.find(options.mainClass(), classes.getParent());
    return new AppFiles(classes, dependencies, mainClass);
  }

  /**
   * The first file bound for the image that holds one of the run's secrets (in any form), named with
   * the secret's variable; jars are read entry by entry, as their contents are compressed.
   */
  Optional<String> secretIn(StageContext context) {
    Path project = context.projectDirectory();
    try {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(classes)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path file : files) {
        Optional<String> secret;
        try (InputStream content = Files.newInputStream(file)) {
          secret = context.secretIn(content);
        }
        if (secret.isPresent()) {
          return Optional.of(project.relativize(file) + " holds " + secret.get());
        }
      }
      for (Path jar : dependencies) {
        Optional<String> secret = secretInJar(context, project, jar);
        if (secret.isPresent()) {
          return secret;
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new EnvironmentException("cannot read what goes into the image: " + e.getMessage(), e);
    }
  }

  private static Optional<String> secretInJar(StageContext context, Path project, Path jar) throws IOException {
    try (ZipInputStream entries = new ZipInputStream(Files.newInputStream(jar))) {
      for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
        Optional<String> secret = context.secretIn(entries);
        if (secret.isPresent()) {
          return Optional.of(shown(project, jar) + "!/" + entry.getName() + " holds " + secret.get());
        }
      }
    }
    return Optional.empty();
  }

  /** A jar as a reader finds it: in the project by its relative path, on a Maven class path (the local repository) by its own. */
  private static String shown(Path project, Path jar) {
    Path absolute = jar.toAbsolutePath().normalize();
    Path root = project.toAbsolutePath().normalize();
    return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
  }

  private static List<Path> jars(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(path -> path.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new EnvironmentException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }
}
