package dev.releasegate.image;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image config's {@code User}, read strictly: {@code USER[:GROUP]}, each a decimal id or a name.
 * Anything else ({@code +0}, {@code -0}, {@code 0x0}, spaces) is refused, since runtimes do not agree
 * on what it means and some run it as root.
 *
 * @param user the decimal uid or the user name
 * @param group the decimal gid or group name, when given
 */
public record ImageUser(String user, Optional<String> group) {
  private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,10}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");

  /** The user, or why the field is not one. */
  public static ImageUser parse(String field) {
    String[] parts = field.split(":", -1);
    if (field.isEmpty() || parts.length > 2 || !valid(parts[0]) || parts.length == 2 && !valid(parts[1])) {
      throw new IllegalArgumentException("user '" + field + "' is not USER[:GROUP] with a decimal id or a name in each");
    }
    return new ImageUser(parts[0], parts.length == 2 ? Optional.of(parts[1]) : Optional.empty());
  }

  private static boolean valid(String part) {
    return DECIMAL.matcher(part).matches() || NAME.matcher(part).matches();
  }

  public boolean numeric() {
    return DECIMAL.matcher(user).matches();
  }

  /** uid 0 by number, or the name root. */
  public boolean root() {
    return numeric() ? Long.parseLong(user) == 0 : user.equals("root");
  }
}
