package dev.releasegate.stages.readiness;

import dev.releasegate.image.ImageFiles;
import dev.releasegate.stages.readiness.LayerReport.FileSecret;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the lint knows of the image's files: the running container's view where it matters (which
 * tools exist, who the users are), and every layer where it does not: a secret deleted by a later
 * layer is still in its own layer's blob, which anyone who can pull the image can read.
 *
 * @param layers bottom to top
 * @param secrets every file secret of every layer, each with the layer that deletes it, if any
 * @param tools package managers and shells present in the final file system
 * @param passwd the final {@code /etc/passwd}: its text, or why it cannot resolve a user name
 */
record ImageContents(List<LayerReport> layers, List<Secret> secrets, SortedSet<String> tools, PasswdFile passwd) {

  /** The image's /etc/passwd as a user name's resolver. */
  sealed interface PasswdFile {
    record Found(String text) implements PasswdFile {}

    record Unusable(String why) implements PasswdFile {}
  }

  ImageContents {
    layers = List.copyOf(layers);
    secrets = List.copyOf(secrets);
    tools = Collections.unmodifiableSortedSet(new TreeSet<>(tools));
  }

  /** A file secret, and the later layer that deletes the file (which does not remove it from the image). */
  record Secret(FileSecret file, Optional<Integer> deletedBy) {

    /** One line, without the secret: path, layer, kind. */
    String describe(List<LayerReport> layers) {
      LayerReport layer = layers.get(file.layer() - 1);
      return file.path() + " in layer " + file.layer() + " (" + shortDigest(layer.digest()) + "): " + file.kind()
          + deletedBy.map(later -> "; deleted by layer " + later + " but still shipped in layer " + file.layer()).orElse("");
    }
  }

  /**
   * @param layers the scanners' reports, bottom to top
   * @param files the same layers merged
   */
  static ImageContents of(List<LayerReport> layers, ImageFiles<LayerScanner.Kept> files) {
    SortedSet<String> tools = new TreeSet<>();
    for (String path : LayerScanner.TOOLS) {
      if (files.files().containsKey(path) || files.symlinks().containsKey(path)) {
        tools.add(path);
      }
    }
    PasswdFile passwd = passwd(files);
    List<Secret> secrets = new ArrayList<>();
    for (LayerReport layer : layers) {
      for (FileSecret secret : layer.secrets()) {
        OptionalInt deletedBy = files.deletedBy(secret.path(), layer.index() - 1);
        secrets.add(new Secret(secret, deletedBy.isPresent() ? Optional.of(deletedBy.getAsInt() + 1) : Optional.empty()));
      }
    }
    return new ImageContents(layers, secrets, tools, passwd);
  }

  /** A regular /etc/passwd, not a link and not under one, of bounded size; else why it is not one. */
  private static PasswdFile passwd(ImageFiles<LayerScanner.Kept> files) {
    for (String link : List.of("/etc", "/etc/passwd")) {
      if (files.symlinks().containsKey(link)) {
        return new PasswdFile.Unusable(link + " is a symbolic link");
      }
    }
    LayerScanner.Kept kept = files.files().get("/etc/passwd");
    if (kept instanceof LayerScanner.Passwd found) {
      return new PasswdFile.Found(found.text());
    }
    if (kept instanceof LayerScanner.UnusablePasswd unusable) {
      return new PasswdFile.Unusable("/etc/passwd is " + unusable.why());
    }
    return new PasswdFile.Unusable("the image has no /etc/passwd");
  }

  long size() {
    return layers.stream().mapToLong(LayerReport::size).sum();
  }

  long uncompressedSize() {
    return layers.stream().mapToLong(LayerReport::uncompressedSize).sum();
  }

  long extractedSize() {
    return layers.stream().mapToLong(LayerReport::extractedSize).sum();
  }

  int scannedFiles() {
    return layers.stream().mapToInt(LayerReport::scannedFiles).sum();
  }


  /** {@code sha256:0123456789ab}: enough to tell layers apart in a one-line message. */
  static String shortDigest(String digest) {
    return digest.length() > 19 ? digest.substring(0, 19) : digest;
  }
}
