package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Normalization as distribution/reference ParseNormalizedNamed does it. */
class DockerReferenceTest {

  @ParameterizedTest
  @CsvSource({
    "ubuntu, docker.io/library/ubuntu",
    "library/ubuntu, docker.io/library/ubuntu",
    "index.docker.io/library/ubuntu, docker.io/library/ubuntu",
    "docker.io/ubuntu, docker.io/library/ubuntu",
    "org/app, docker.io/org/app",
    "127.0.0.1:5000/hello-service, 127.0.0.1:5000/hello-service",
    "localhost/app, localhost/app",
    "localhost:5000/a/b, localhost:5000/a/b",
    "registry.example.com/team/app:1.2, registry.example.com/team/app",
    "[::1]:5000/app, [::1]:5000/app",
  })
  void normalizesTheName(String reference, String name) {
    assertEquals(name, DockerReference.parse(reference).name());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Upper", "example.com/App", "app:", "example.com/app@sha256:12", "a//b", "-app"})
  void refusesWhatIsNotAReference(String reference) {
    assertThrows(IllegalArgumentException.class, () -> DockerReference.parse(reference));
  }

  @ParameterizedTest
  @CsvSource({
    "192.168.64.2:5000/skopeo-signed:tag, tag, ''",
    "example.com/app@sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00, '', sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00",
  })
  void keepsTagAndDigest(String reference, String tag, String digest) {
    DockerReference parsed = DockerReference.parse(reference);
    assertEquals(tag.isEmpty() ? Optional.empty() : Optional.of(tag), parsed.tag());
    assertEquals(digest.isEmpty() ? Optional.empty() : Optional.of(digest), parsed.digest());
  }
}
