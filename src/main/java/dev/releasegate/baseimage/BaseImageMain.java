package dev.releasegate.baseimage;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.RegistryException;
import dev.releasegate.base.InvalidInputException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * {@code java -cp releasegate.jar dev.releasegate.baseimage.BaseImageMain [--insecure] [--arch A]
 * ROOTFS REF}: builds the distroless-style Java base image from a root filesystem prepared by {@code
 * scripts/base-image} and pushes it to {@code REF}.
 *
 * <p>Progress goes to stderr; the last line on stdout is {@code REGISTRY/REPOSITORY@sha256:…}. Exit
 * codes follow the command line contract: 0 pushed, 2 invalid input, 3 registry or environment
 * failure. {@code SOURCE_DATE_EPOCH} (seconds) sets the image and file times; default is the epoch.
 */
public final class BaseImageMain {

  private static final String USAGE =
      "usage: BaseImageMain [--insecure] [--arch ARCH] ROOTFS REGISTRY/REPOSITORY[:TAG]\n"
          + "  --insecure  allow plain HTTP (for a registry on the loopback interface)\n"
          + "  --arch      image architecture, default amd64 (must match the rootfs)";

  private BaseImageMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    boolean insecure = false;
    String architecture = "amd64";
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--insecure" -> insecure = true;
        case "--arch" -> {
          if (++i == args.length) {
            return usage("--arch needs a value");
          }
          architecture = args[i];
        }
        case "-h", "--help" -> {
          System.err.println(USAGE);
          return 0;
        }
        default -> {
          if (args[i].startsWith("-")) {
            return usage("unknown option " + args[i]);
          }
          positional.add(args[i]);
        }
      }
    }
    if (positional.size() != 2) {
      return usage("expected ROOTFS and REF");
    }

    try {
      ImageReference target = ImageReference.parse(positional.get(1));
      BaseImageBuilder builder =
          new BaseImageBuilder(
              Path.of(positional.get(0)), target, insecure, creationTime(), architecture, System.err);
      String pushed = builder.buildAndPush();
      System.err.println("Pushed " + pushed);
      System.out.println(pushed);
      return 0;
    } catch (InvalidImageReferenceException e) {
      return usage("not an image reference: " + positional.get(1));
    } catch (InvalidInputException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("error: interrupted");
      return 3;
    } catch (Exception e) {
      System.err.println("error: " + explain(e, positional.get(1)));
      return 3;
    }
  }

  /** One line that says what failed and what to do, instead of jib's nested exceptions. */
  private static String explain(Exception e, String ref) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InsecureRegistryException) {
        return "registry for " + ref + " does not speak HTTPS; pass --insecure for a loopback"
            + " registry";
      }
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException
          || t instanceof SocketTimeoutException) {
        return "registry for " + ref + " is unreachable (" + t.getMessage() + "); is it running?";
      }
    }
    Throwable root = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    return (root instanceof RegistryException ? "registry refused the push: " : "build failed: ")
        + root;
  }

  private static Instant creationTime() {
    String epoch = System.getenv("SOURCE_DATE_EPOCH");
    if (epoch == null || epoch.isBlank()) {
      return Instant.EPOCH;
    }
    try {
      return Instant.ofEpochSecond(Long.parseLong(epoch.trim()));
    } catch (NumberFormatException e) {
      throw new InvalidInputException("SOURCE_DATE_EPOCH must be seconds since 1970: " + epoch);
    }
  }

  private static int usage(String problem) {
    System.err.println("error: " + problem);
    System.err.println(USAGE);
    return 2;
  }
}
