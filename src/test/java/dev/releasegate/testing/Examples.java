package dev.releasegate.testing;

import java.nio.file.Path;

/** The example projects that ship with releasegate. */
public final class Examples {
  private Examples() {}

  public static Path helloService() {
    return Peers.project().resolve("examples/hello-service");
  }

  /**
   * The example, compiled with its runtime dependencies copied (what the jib stage's default build
   * command makes), in a repository under {@code dir}: a template for {@link TestRepos#copyBuilt}.
   */
  public static Path builtHelloService(Path dir) {
    Path template = TestRepos.copyOf(helloService(), dir);
    Path log = dir.resolveSibling(dir.getFileName() + "-build.log");
    try {
      Process build = new ProcessBuilder("mvn", "-B", "-q", "-DskipTests", "package", "dependency:copy-dependencies", "-DincludeScope=runtime")
          .directory(template.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (build.waitFor() != 0) {
        throw new IllegalStateException("the example does not build:\n" + java.nio.file.Files.readString(log));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return template;
  }
}
