package dev.releasegate.stages.jib;

import dev.releasegate.base.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Finds the main class: from the pipeline file, else from the Main-Class of the project's jar. */
final class MainClasses {
  private MainClasses() {}

  static String find(Optional<String> configured, Path buildOutput) {
    if (configured.isPresent()) {
      return configured.get();
    }
    List<Path> jars;
    try (Stream<Path> files = Files.list(buildOutput)) {
      jars = files.filter(MainClasses::isProjectJar).sorted().toList();
    } catch (IOException e) {
      jars = List.of();
    }
    for (Path jar : jars) {
      try (JarFile file = new JarFile(jar.toFile())) {
        String main = file.getManifest() == null ? null : file.getManifest().getMainAttributes().getValue("Main-Class");
        if (main != null && !main.isBlank()) {
          return main.strip();
        }
      } catch (IOException e) {
        throw new InvalidInputException("cannot read the manifest of " + jar + ": " + e.getMessage(), e);
      }
    }
    throw new InvalidInputException(
        "no main class: none of " + (jars.isEmpty() ? "the jars in " + buildOutput + " (there are none)" : jars)
            + " has a Main-Class in its manifest; set it in the jar or with 'mainClass' in the jib stage");
  }

  private static boolean isProjectJar(Path path) {
    String name = path.getFileName().toString();
    return name.endsWith(".jar") && !name.endsWith("-sources.jar") && !name.endsWith("-javadoc.jar")
        && !name.endsWith("-tests.jar") && !name.startsWith("original-");
  }
}
