package dev.releasegate.base;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference as users write it: {@code host/path}, then {@code :tag}, {@code @sha256:…} or both. Its
 * repository and digest are what {@link ImageReference} accepts; once pinned, it is one.
 *
 * @param repository {@code host/path}
 * @param tag the tag, if given
 * @param digest the digest, if given
 */
public record WrittenReference(String repository, Optional<String> tag, Optional<String> digest) {
  private static final Pattern FORM =
      Pattern.compile("(" + ImageReference.REPOSITORY.pattern() + ")(?::([\\w][\\w.-]{0,127}))?(?:@(" + ImageReference.DIGEST.pattern() + "))?");

  public static WrittenReference parse(String reference) {
    Matcher matcher = FORM.matcher(reference);
    if (!matcher.matches()) {
      throw new InvalidInputException("not an image reference (host/path[:tag][@sha256:…]): " + reference);
    }
    return new WrittenReference(matcher.group(1), Optional.ofNullable(matcher.group(2)), Optional.ofNullable(matcher.group(3)));
  }

  /** What to ask the registry for: the digest when pinned, else the tag, else {@code latest}. */
  public String qualifier() {
    return digest.or(() -> tag).orElse("latest");
  }

  @Override
  public String toString() {
    return repository + tag.map(value -> ":" + value).orElse("") + digest.map(value -> "@" + value).orElse("");
  }
}
