package dev.releasegate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.releasegate.base.Json;
import dev.releasegate.testing.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The CI examples users copy: what they must contain to do what the README promises. */
class ExamplesTest {
  private static final Path GITHUB = Path.of("examples/github-actions");

  private static JsonNode yaml(Path file) throws IOException {
    return new YAMLMapper().readTree(Files.readString(file));
  }

  private static Set<String> keys(JsonNode node) {
    Set<String> keys = new TreeSet<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Test
  void compositeActionTakesAndGivesWhatTheWorkflowNeeds() throws IOException {
    JsonNode action = yaml(GITHUB.resolve("action/action.yml"));
    assertTrue(keys(action.get("inputs")).containsAll(Set.of("pipeline", "image", "version", "keyless", "key", "evidence")));
    assertEquals(Set.of("status", "digest", "tags", "evidence"), keys(action.get("outputs")));
    assertEquals("composite", action.at("/runs/using").asText());
    String release = action.at("/runs/steps/1/run").asText();
    assertTrue(release.contains("--keyless") && release.contains("--key \"$RG_KEY\""), release);
    assertFalse(release.contains("${{ inputs."), "inputs reach the shell through env, never spliced into the script");
  }

  @Test
  void workflowHasThePermissionsAndStepsOfAKeylessRelease() throws IOException {
    JsonNode workflow = yaml(GITHUB.resolve("release.yml"));
    JsonNode permissions = workflow.at("/jobs/release/permissions");
    assertTrue(workflow.get("permissions").isEmpty(), "nothing granted workflow-wide; the job asks for what it needs");
    assertEquals(45, workflow.at("/jobs/release/timeout-minutes").asInt());
    assertEquals("write", permissions.get("id-token").asText());
    assertEquals("write", permissions.get("packages").asText());
    assertEquals("read", permissions.get("contents").asText());
    assertEquals("write", permissions.get("security-events").asText());
    assertEquals("release-${{ github.repository }}", workflow.at("/concurrency/group").asText(), "one releaser per repository");
    assertFalse(workflow.at("/concurrency/cancel-in-progress").asBoolean(true), "a release is never cancelled half-way");
    List<String> uses = new ArrayList<>();
    workflow.at("/jobs/release/steps").forEach(step -> uses.add(step.path("uses").asText("")));
    assertTrue(uses.stream().anyMatch(use -> use.startsWith("aquasecurity/setup-trivy@")), uses.toString());
    assertTrue(uses.stream().anyMatch(use -> use.startsWith("docker/login-action@")), uses.toString());
    assertTrue(uses.stream().anyMatch(use -> use.startsWith("actions/upload-artifact@")), uses.toString());
    assertTrue(uses.stream().anyMatch(use -> use.startsWith("github/codeql-action/upload-sarif@")), uses.toString());
    assertTrue(uses.contains("./.releasegate/examples/github-actions/action"), uses.toString());
    for (String use : uses) {
      assertTrue(use.isEmpty() || use.startsWith("./") || use.matches("[\\w.-]+/[\\w./-]+@[0-9a-f]{40}"), "pinned by full commit SHA: " + use);
    }
    String text = Files.readString(GITHUB.resolve("release.yml"));
    assertTrue(text.matches("(?s).*@[0-9a-f]{40} # v\\d+\\.\\d+\\.\\d+.*"), "the version beside each pin");
    for (JsonNode step : workflow.at("/jobs/release/steps")) {
      assertFalse(step.path("run").asText().contains("${{"), "no ${{ }} spliced into a script: " + step.path("run").asText());
      if (step.path("uses").asText().startsWith("actions/checkout@")) {
        assertFalse(step.at("/with/persist-credentials").asBoolean(true), "no token left in .git/config");
      }
      if (step.path("uses").asText().startsWith("actions/upload-artifact@")) {
        assertEquals("error", step.at("/with/if-no-files-found").asText());
        assertTrue(step.at("/with/retention-days").asInt() > 0);
      }
    }
    assertEquals("v0.1.0", workflow.at("/jobs/release/steps/1/with/ref").asText(), "releasegate pinned to a release");
    assertTrue(text.contains("path: ~/.cache/trivy") && text.contains("path: ~/.cache/releasegate/jib"),
        "the DB and the layers cached where trivy and the jib stage keep them");
    JsonNode release = null;
    for (JsonNode step : workflow.at("/jobs/release/steps")) {
      if (step.path("uses").asText("").endsWith("github-actions/action")) {
        release = step;
      }
    }
    assertEquals("true", release.at("/with/keyless").asText(), "the release step signs keylessly");
  }

  @Test
  void afterTheReleaseTheWorkflowVerifiesItKeylesslyAsADeployerWouldAgainstSigstoresPublicGoodRoot() throws Exception {
    JsonNode workflow = yaml(GITHUB.resolve("release.yml"));
    List<String> names = new ArrayList<>();
    workflow.at("/jobs/release/steps").forEach(step -> names.add(step.path("name").asText("")));
    int verify = names.indexOf("Verify the release as a deployer would");
    assertTrue(verify > names.indexOf("Release") && names.indexOf("Release") >= 0, names.toString());
    JsonNode step = workflow.at("/jobs/release/steps/" + verify);
    assertEquals("${{ github.server_url }}/${{ github.workflow_ref }}", step.at("/env/IDENTITY").asText(),
        "the identity Fulcio certifies for a workflow: https://github.com/OWNER/REPO/.github/workflows/FILE@REF");
    String run = step.get("run").asText();
    assertTrue(run.contains("releasegate verify-image \"$IMAGE@$DIGEST\" \"${trust[@]}\""), run);
    assertTrue(run.contains("releasegate verify-evidence \"$IMAGE@$DIGEST\" \"${trust[@]}\""), run);
    assertTrue(run.contains("--certificate-oidc-issuer https://token.actions.githubusercontent.com"), run);

    // The jq filter, run for real on what the GitHub CLI prints: the public good root and GitHub's.
    Matcher filter = Pattern.compile("jq -c '([^']+)'").matcher(run);
    assertTrue(filter.find(), run);
    JsonNode publicGood = Json.parse(Files.readAllBytes(Fixtures.file("sigstore-bundles/trusted_root.public-good.json")));
    String github = "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\","
        + "\"certificateAuthorities\":[{\"uri\":\"https://fulcio.githubapp.com\"}],\"tlogs\":[]}";
    Process jq = new ProcessBuilder("jq", "-c", filter.group(1)).redirectErrorStream(true).start();
    try (OutputStream in = jq.getOutputStream()) {
      in.write(Json.compact(publicGood));
      in.write(("\n" + github + "\n").getBytes(StandardCharsets.UTF_8));
    }
    byte[] selected = jq.getInputStream().readAllBytes();
    assertEquals(0, jq.waitFor(), new String(selected, StandardCharsets.UTF_8));
    assertEquals(publicGood, Json.parse(selected), "exactly the public good root, whole");
  }

  @Test
  void jenkinsfileKeepsSecretsInCredentialsAndPublishesTheReports() throws IOException {
    String jenkinsfile = Files.readString(Path.of("examples/jenkins/Jenkinsfile"));
    assertTrue(jenkinsfile.contains("withCredentials(["));
    assertTrue(jenkinsfile.contains("variable: 'COSIGN_PASSWORD'"));
    assertTrue(jenkinsfile.contains("passwordVariable: 'RELEASEGATE_REGISTRY_PASSWORD'"));
    assertTrue(jenkinsfile.contains("junit testResults: 'evidence/reports/junit.xml'"));
    assertTrue(jenkinsfile.contains("archiveArtifacts artifacts: 'evidence/**'"));
    assertTrue(jenkinsfile.contains(".releasegate/scripts/releasegate release"));
    int clean = jenkinsfile.indexOf("dir('evidence') { deleteDir() }");
    assertTrue(clean > 0 && clean < jenkinsfile.indexOf("releasegate release"), "a second build starts without the first one's evidence");
    assertTrue(jenkinsfile.contains("refs/tags/${RELEASEGATE_VERSION}") && !jenkinsfile.contains("branch: 'main'"), "releasegate is pinned");
    assertTrue(jenkinsfile.contains("releasegate check"), "a missing trivy or podman is said before anything is built");
    assertTrue(jenkinsfile.contains("disableConcurrentBuilds()"), "one releaser at a time");
    assertFalse(jenkinsfile.contains("sh \"") || jenkinsfile.contains("echo $COSIGN") || jenkinsfile.contains("echo \"$COSIGN"),
        "no Groovy-interpolated shell strings and no echo of a secret");
  }

  @Test
  void theProjectIsApacheLicensedAndSaysSoWhereToolsLook() throws IOException {
    assertTrue(Files.readString(Path.of("LICENSE")).contains("Apache License\n                           Version 2.0, January 2004"));
    String pom = Files.readString(Path.of("pom.xml"));
    assertTrue(pom.contains("<name>Apache-2.0</name>") && pom.contains("<scm>"), "the pom names the license and the source");
  }
}
