package dev.releasegate.testing;

import dev.releasegate.sign.CosignKeyFile;
import java.nio.file.Path;
import java.security.KeyPair;

/** Throwaway cosign key pairs for tests. */
public final class TestKeys {
  public static final String PASSWORD = "test-password-41";

  private TestKeys() {}

  /** Writes {@code dir/name.key} and {@code dir/name.pub}; returns the prefix. */
  public static Path write(Path dir, String name) {
    KeyPair pair = CosignKeyFile.generate();
    Path prefix = dir.resolve(name);
    CosignKeyFile.writeKeyPair(pair, PASSWORD.toCharArray(), prefix);
    return prefix;
  }

  public static Path key(Path prefix) {
    return prefix.resolveSibling(prefix.getFileName() + ".key");
  }

  public static Path pub(Path prefix) {
    return prefix.resolveSibling(prefix.getFileName() + ".pub");
  }
}
