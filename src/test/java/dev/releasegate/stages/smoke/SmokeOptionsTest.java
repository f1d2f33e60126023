package dev.releasegate.stages.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.pipeline.PipelineException;
import dev.releasegate.pipeline.PipelineValidator;
import dev.releasegate.pipeline.StageTypes;
import dev.releasegate.spi.StageOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The smoke stage's options as a pipeline file gives them: defaults, shorthands, and every problem at its place. */
class SmokeOptionsTest {
  private static final String HEAD = "apiVersion: releasegate/v1\nimage: {repository: 127.0.0.1:5000/hello}\nstages:\n"
      + "  - {name: build, uses: fake-image}\n  - name: smoke\n    uses: smoke\n    with:\n";
  private final PipelineValidator validator = new PipelineValidator(StageTypes.load());

  private StageOptions options(String with) {
    return validator.validate("p.yaml", (HEAD + with).getBytes(StandardCharsets.UTF_8)).stages().get(1).options();
  }

  private List<String> problems(String with) {
    return assertThrows(PipelineException.class,
        () -> validator.validate("p.yaml", (HEAD + with).getBytes(StandardCharsets.UTF_8))).problems();
  }

  @Test
  void defaultsAreTheHardenedOnes() {
    StageOptions options = options("      {}\n");
    assertEquals("auto", options.string("runtime"));
    assertEquals(8080L, options.integer("port"));
    assertEquals("/readyz", options.string("readyPath"));
    assertEquals(30L, options.integer("readyTimeoutSeconds"));
    assertEquals(10L, options.integer("maxStartupSeconds"));
    assertEquals("/version", options.string("versionPath"));
    assertEquals(10L, options.integer("stopTimeoutSeconds"));
    Hardening hardening = Hardening.of(options);
    assertEquals(List.of(), hardening.overrides());
    assertEquals(List.of("--read-only", "--read-only-tmpfs=false", "--tmpfs", "/tmp:rw,noexec,nosuid,size=64m", "--cap-drop", "ALL",
            "--security-opt", "no-new-privileges", "--pids-limit", "100", "--memory", "512m", "--cpus", "1"),
        hardening.flags(ContainerRuntime.Kind.PODMAN));
    assertEquals(List.of("--read-only", "--tmpfs", "/tmp:rw,noexec,nosuid,size=64m", "--cap-drop", "ALL",
            "--security-opt", "no-new-privileges", "--pids-limit", "100", "--memory", "512m", "--cpus", "1"),
        hardening.flags(ContainerRuntime.Kind.DOCKER), "docker mounts no tmpfs of its own on a read-only container");
  }

  @Test
  void everyOverrideOfAHardenedDefaultIsListedAndChangesTheFlags() {
    Hardening hardening = Hardening.of(options(
        "      {readOnly: false, tmpfs: [], capAdd: [NET_BIND_SERVICE], noNewPrivileges: false, pidsLimit: 0, memory: 1g, cpus: \"\"}\n"));
    assertEquals(List.of("readOnly", "tmpfs", "capAdd", "noNewPrivileges", "pidsLimit", "memory", "cpus"),
        hardening.overrides().stream().map(Hardening.OverriddenDefault::option).toList());
    assertEquals(List.of("--cap-drop", "ALL", "--cap-add", "NET_BIND_SERVICE", "--memory", "1g"), hardening.flags(ContainerRuntime.Kind.PODMAN));
    assertEquals("memory 1g overrides the hardened default 512m", hardening.overrides().get(5).describe());
    assertEquals("cpus '' overrides the hardened default 1", hardening.overrides().get(6).describe());
    assertEquals("{\"option\":\"pidsLimit\",\"default\":100,\"value\":0}", hardening.overridesJson().get(4).toString());
  }

  @Test
  void aValueEqualToItsDefaultIsNoOverride() {
    assertEquals(List.of(), Hardening.of(options("      {readOnly: true, memory: 512m, pidsLimit: 100}\n")).overrides());
  }

  @Test
  void probesTakeAPathShorthandAndFieldDefaults() {
    List<StageOptions> probes = options("      probes: [/healthz, {path: /readyz, jsonPath: /status, equals: ready}]\n").objectList("probes");
    assertEquals(new Probe("/healthz", "2xx", java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty()),
        Probe.of(probes.get(0)));
    assertEquals("2xx, /status = 'ready'", Probe.of(probes.get(1)).expected());
  }

  @Test
  void emptyVersionPathSkipsTheVersionCheck() {
    assertEquals("", options("      {versionPath: \"\"}\n").string("versionPath"));
  }

  @Test
  void runtimePathNeedsAnExplicitRuntime() {
    assertEquals(List.of("p.yaml:8:20: runtimePath needs runtime: podman or docker, which says what command line it speaks"),
        problems("      runtimePath: /opt/podman\n"));
    assertEquals("/opt/podman", options("      {runtime: podman, runtimePath: /opt/podman}\n").string("runtimePath"));
  }

  @Test
  void environmentNamesAndSecretsAreChecked() {
    assertEquals(List.of(
            "p.yaml:8:12: env name '1X' must be letters, digits and '_', not starting with a digit",
            "p.yaml:9:18: secretEnv A is also set in env; set it in one of them",
            "p.yaml:9:18: secretEnv TOKEN must name a host environment variable, got 'not a name'"),
        problems("      env: {A: \"1\", 1X: \"2\"}\n      secretEnv: {A: HOST_A, TOKEN: not a name}\n"));
  }

  @Test
  void probeFieldsAreCheckedWhereTheyAre() {
    assertEquals(List.of(
            "p.yaml:9:11: probes[0].path must be a path such as /healthz, got 'healthz'",
            "p.yaml:10:30: probes[1].status must be a status code such as 200 or a class such as 2xx, got '20x'",
            "p.yaml:11:32: probes[2].jsonPath must be a JSON Pointer such as /status",
            "p.yaml:12:30: probes[3].equals needs jsonPath, the value it compares"),
        problems("      probes:\n        - healthz\n        - {path: /a, status: 20x}\n        - {path: /b, jsonPath: status}\n"
            + "        - {path: /c, equals: ok}\n"));
  }

  @Test
  void pathsMustBeAbsoluteUriPaths() {
    assertEquals(List.of(
            "p.yaml:8:18: readyPath must be a path such as /healthz, got '/ready z'",
            "p.yaml:9:20: versionPath must be a path such as /healthz, got 'version'"),
        problems("      readyPath: /ready z\n      versionPath: version\n"));
  }

  @Test
  void limitsMustBeWellFormed() {
    assertEquals(List.of(
            "p.yaml:8:15: tmpfs[0] must be an absolute path with optional :options, e.g. /tmp:rw,noexec,nosuid,size=64m",
            "p.yaml:9:16: capAdd[0] must be a capability name such as NET_BIND_SERVICE",
            "p.yaml:10:15: memory must be a size such as 512m or 1g, or empty for no limit",
            "p.yaml:11:13: cpus must be a positive number such as 1 or 0.5, or empty for no limit"),
        problems("      tmpfs: [tmp]\n      capAdd: [\"cap-net\"]\n      memory: lots\n      cpus: 0\n"));
  }

  @Test
  void typesAndRangesComeFromTheDeclaredOptions() {
    assertEquals(List.of(
            "p.yaml:8:13: port must be between 1 and 65535, got 70000",
            "p.yaml:9:16: runtime must be one of auto, podman, docker, got 'crio'",
            "p.yaml:10:27: stopTimeoutSeconds must be between 1 and 600, got 0"),
        problems("      port: 70000\n      runtime: crio\n      stopTimeoutSeconds: 0\n"));
  }

  @Test
  void theStageNeedsAnImage() {
    PipelineException e = assertThrows(PipelineException.class, () -> validator.validate("p.yaml",
        "apiVersion: releasegate/v1\nstages:\n  - {name: smoke, uses: smoke}\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(1, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).startsWith("p.yaml:3:25: stage 'smoke' (smoke) needs output 'image', which no earlier stage produces"),
        e.problems().get(0));
  }
}
