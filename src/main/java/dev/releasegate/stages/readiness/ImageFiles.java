package dev.releasegate.stages.readiness;

import dev.releasegate.stages.readiness.LayerReport.FileSecret;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The layers seen together, bottom to top, with whiteouts applied where the running container's view
 * matters (which tools exist, who the users are) and not where it does not: a secret deleted by a
 * later layer is still in its own layer's blob, which anyone who can pull the image can read.
 *
 * @param layers bottom to top
 * @param secrets every file secret of every layer, each with the layer that deletes it, if any
 * @param tools package managers and shells present in the final file system
 * @param passwd the final {@code /etc/passwd}, if any
 */
record ImageFiles(List<LayerReport> layers, List<Secret> secrets, SortedSet<String> tools, Optional<String> passwd) {

  ImageFiles {
    layers = List.copyOf(layers);
    secrets = List.copyOf(secrets);
    tools = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(tools));
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

  static ImageFiles merge(List<LayerReport> layers) {
    SortedSet<String> tools = new TreeSet<>();
    Optional<String> passwd = Optional.empty();
    List<Secret> secrets = new ArrayList<>();
    for (LayerReport layer : layers) {
      // A layer's whiteouts hide what the layers below it have, never what it adds itself.
      tools.removeIf(layer::hides);
      if (passwd.isPresent() && layer.hides("/etc/passwd")) {
        passwd = Optional.empty();
      }
      tools.addAll(layer.tools());
      if (layer.passwd().isPresent()) {
        passwd = layer.passwd();
      }
    }
    for (LayerReport layer : layers) {
      for (FileSecret secret : layer.secrets()) {
        Optional<Integer> deletedBy = layers.stream()
            .filter(later -> later.index() > layer.index() && later.hides(secret.path()))
            .map(LayerReport::index)
            .findFirst();
        secrets.add(new Secret(secret, deletedBy));
      }
    }
    return new ImageFiles(layers, secrets, tools, passwd);
  }

  long size() {
    return layers.stream().mapToLong(LayerReport::size).sum();
  }

  long uncompressedSize() {
    return layers.stream().mapToLong(LayerReport::uncompressedSize).sum();
  }

  int scannedFiles() {
    return layers.stream().mapToInt(LayerReport::scannedFiles).sum();
  }

  int unscannedFiles() {
    return layers.stream().mapToInt(LayerReport::unscannedFiles).sum();
  }

  /** {@code sha256:0123456789ab}: enough to tell layers apart in a one-line message. */
  static String shortDigest(String digest) {
    return digest.length() > 19 ? digest.substring(0, 19) : digest;
  }
}
