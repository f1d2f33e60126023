package dev.releasegate.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The config rules the lint rejects on and the evidence writers remove by: names, values, and the marker. */
class ImageSecretsTest {
  private static final String CLASSIC = "ghp_" + "a1B2c3D4e5".repeat(3) + "f6G7h8";
  private static final String FINE_GRAINED = "github_pat_" + "A".repeat(22) + "_" + "b".repeat(59);

  @Test
  void secretNamesByPartOrWholeWord() {
    for (String name : new String[] {"DB_PASSWORD", "GH_PAT", "github.pat", "SMTP_PW", "com.example.api-token", "aws_secret_access_key"}) {
      assertTrue(ImageSecrets.secretName(name), name);
    }
    for (String name : new String[] {"PATH", "CLASSPATH", "PATCH_LEVEL", "PWD", "DB_PASSWORD_FILE", "TOKEN_DIR", "org.opencontainers.image.title"}) {
      assertFalse(ImageSecrets.secretName(name), name);
    }
  }

  @Test
  void valuesThatRevealASecretWhateverTheirName() {
    assertEquals(Optional.of("a GitHub token"), ImageSecrets.inValue(CLASSIC));
    assertEquals(Optional.of("a GitHub token"), ImageSecrets.inValue("Bearer " + FINE_GRAINED));
    assertEquals(Optional.of("an AWS access key id"), ImageSecrets.inValue("key=AKIAZ7VQ3JX5RTMWP4LN"));
    assertEquals(Optional.of("a password assignment"), ImageSecrets.inValue("pw=hunter2"));
    assertEquals(Optional.of("a password assignment"), ImageSecrets.inValue("user=app; Password = s3cret"));
    assertEquals(Optional.of("a URL with user:password@"), ImageSecrets.inValue("https://bot:s3cret@git.example.test/repo"));
    assertEquals(Optional.of("a PEM private key"), ImageSecrets.inValue("-----BEGIN EC PRIVATE KEY-----\nMHc"));
  }

  @Test
  void referencesExamplesAndLookalikesAreNoSecrets() {
    for (String value : new String[] {"password=${DB_PW}", "token=<set at run time>", "AKIAIOSFODNN7EXAMPLE", "ghp_short",
        "xghp_" + CLASSIC.substring(4), "passwords are read from /run/secrets", "/usr/local/bin:/usr/bin"}) {
      assertEquals(Optional.empty(), ImageSecrets.inValue(value), value);
    }
  }

  @Test
  void aSecretPairIsReplacedByAMarkerNamingItsKind() {
    assertEquals("[removed by releasegate: a GitHub token]", ImageSecrets.withoutSecret("GH_PAT", CLASSIC));
    assertEquals("[removed by releasegate: secret-like name with a value]", ImageSecrets.withoutSecret("DB_PASSWORD", "hunter2"));
    assertEquals("/run/secrets/db", ImageSecrets.withoutSecret("DB_PASSWORD_FILE", "/run/secrets/db"));
    assertEquals("", ImageSecrets.withoutSecret("API_TOKEN", ""), "an empty value holds nothing");
  }
}
