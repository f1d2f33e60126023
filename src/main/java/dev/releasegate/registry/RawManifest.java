package dev.releasegate.registry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.util.RawValue;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import java.nio.charset.StandardCharsets;

/**
 * A manifest pushed byte for byte. A manifest's digest is the hash of its exact bytes, so tagging an
 * image or writing a cosign signature manifest must not let jib re-serialize it; jib writes this
 * template's {@link JsonValue} verbatim.
 */
final class RawManifest implements ManifestTemplate {
  private final String json;
  private final String mediaType;

  RawManifest(byte[] bytes, String mediaType) {
    this.json = new String(bytes, StandardCharsets.UTF_8);
    this.mediaType = mediaType;
  }

  @JsonValue
  RawValue json() {
    return new RawValue(json);
  }

  @JsonIgnore
  @Override
  public int getSchemaVersion() {
    return 2;
  }

  @JsonIgnore
  @Override
  public String getManifestMediaType() {
    return mediaType;
  }
}
