package dev.releasegate;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The releasegate version, from the build. */
public final class ToolVersion {
  private static final Properties BUILD = load();
  private static final String VERSION = value("version");

  private ToolVersion() {}

  public static String get() {
    return VERSION;
  }

  /** The jib-core version releasegate was built with, for provenance. */
  public static String jib() {
    return value("jib.version");
  }

  private static String value(String key) {
    String value = BUILD.getProperty(key, "");
    return value.isEmpty() || value.startsWith("${") ? "0.0.0-dev" : value;
  }

  private static Properties load() {
    Properties properties = new Properties();
    try (InputStream in = ToolVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // Without the build's properties the versions read as 0.0.0-dev; nothing else depends on them.
    }
    return properties;
  }
}
