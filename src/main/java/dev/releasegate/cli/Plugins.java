package dev.releasegate.cli;

import dev.releasegate.base.InvalidInputException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Stage plug-ins from a folder of jars. {@code java -jar} ignores the class path, so plug-ins are
 * loaded by a class loader of their own, set as the context class loader the stage types are found
 * with; every thread a release starts inherits it.
 */
final class Plugins {
  static final String VARIABLE = "RELEASEGATE_PLUGINS";

  private Plugins() {}

  /** A class loader over every {@code *.jar} directly in {@code folder}, its parent the current context loader. */
  static ClassLoader loader(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new InvalidInputException("plug-in folder " + folder + " is not a folder");
    }
    List<URL> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path jar : files.filter(file -> file.getFileName().toString().endsWith(".jar") && Files.isRegularFile(file)).sorted().toList()) {
        jars.add(jar.toUri().toURL());
      }
    } catch (MalformedURLException e) {
      throw new InvalidInputException("plug-in folder " + folder + ": " + e.getMessage());
    } catch (IOException e) {
      throw new InvalidInputException("cannot read plug-in folder " + folder + ": " + e.getMessage());
    }
    if (jars.isEmpty()) {
      throw new InvalidInputException("plug-in folder " + folder + " holds no .jar file");
    }
    return new URLClassLoader("releasegate-plugins", jars.toArray(URL[]::new), Thread.currentThread().getContextClassLoader());
  }
}
