package dev.releasegate.cli;

import dev.releasegate.api.Releasegate;
import dev.releasegate.base.InvalidInputException;
import java.io.Console;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "keygen", mixinStandardHelpOptions = true, header = "Write a cosign-compatible key pair.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:written", "2:invalid input: the files exist, no password"},
    description = {
      "Write a cosign-compatible ECDSA P-256 key pair: PREFIX.key (encrypted) and PREFIX.pub.",
      "The password comes from COSIGN_PASSWORD, else from a prompt on a terminal."
    })
final class KeygenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--output-prefix", paramLabel = "PREFIX", defaultValue = "cosign",
      description = "Path prefix of the key files (default: ${DEFAULT-VALUE}).")
  Path prefix;

  @Override
  public Integer call() {
    char[] password = password();
    try {
      String keyId = Releasegate.generateKeyPair(prefix, password);
      spec.commandLine().getErr().println("wrote " + prefix + ".key and " + prefix + ".pub (key id " + keyId + ")");
      return Main.RELEASED;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static char[] password() {
    String fromEnvironment = System.getenv("COSIGN_PASSWORD");
    if (fromEnvironment != null) {
      return fromEnvironment.toCharArray();
    }
    Console console = System.console();
    if (console == null) {
      throw new InvalidInputException("COSIGN_PASSWORD is not set and there is no terminal to ask; set COSIGN_PASSWORD");
    }
    char[] first = console.readPassword("Enter password for private key: ");
    char[] second = console.readPassword("Enter password for private key again: ");
    if (first == null || second == null || !Arrays.equals(first, second)) {
      throw new InvalidInputException("the passwords do not match");
    }
    Arrays.fill(second, '\0');
    return first;
  }
}
