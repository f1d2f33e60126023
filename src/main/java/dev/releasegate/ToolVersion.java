package dev.releasegate;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The releasegate version, from the build. */
public final class ToolVersion {
  private static final String VERSION = load();

  private ToolVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = ToolVersion.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      String version = properties.getProperty("version", "");
      return version.isEmpty() || version.startsWith("${") ? "0.0.0-dev" : version;
    } catch (IOException e) {
      return "0.0.0-dev";
    }
  }
}
