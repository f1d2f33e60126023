package dev.releasegate.examples.hello;

import java.util.Map;

/**
 * Which release is running. The release tool bakes {@code RELEASE_REVISION} (git commit) and
 * {@code RELEASE_VERSION} into the image's environment at build time, so a running container can be
 * traced back to its source and evidence.
 */
public record ReleaseInfo(String revision, String version) {

    static final String UNKNOWN = "unknown";

    public static ReleaseInfo fromEnvironment(Map<String, String> env) {
        return new ReleaseInfo(valueOrUnknown(env.get("RELEASE_REVISION")), valueOrUnknown(env.get("RELEASE_VERSION")));
    }

    private static String valueOrUnknown(String value) {
        return value == null || value.isBlank() ? UNKNOWN : value.strip();
    }
}
