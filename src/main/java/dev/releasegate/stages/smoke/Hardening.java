package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.StageOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the container is confined, from the options, and every option that departs from the hardened
 * default (each such override is recorded in the evidence and warned about).
 */
record Hardening(
    boolean readOnly,
    List<String> tmpfs,
    List<String> capAdd,
    boolean noNewPrivileges,
    long pidsLimit,
    String memory,
    String cpus,
    List<OverriddenDefault> overrides) {

  /** One option whose value is not the hardened default. */
  record OverriddenDefault(String option, Object defaultValue, Object value) {
    String describe() {
      return option + " " + show(value) + " overrides the hardened default " + show(defaultValue);
    }

    private static String show(Object value) {
      return value instanceof String text && text.isEmpty() ? "''" : String.valueOf(value);
    }
  }

  static Hardening of(StageOptions options) {
    List<OverriddenDefault> overrides = new ArrayList<>();
    for (String name : SmokeStageFactory.HARDENING) {
      Object defaultValue = SmokeStageFactory.OPTIONS.find(name).flatMap(OptionSpec::defaultValue).orElseThrow();
      Object value = options.asMap().getOrDefault(name, defaultValue);
      if (!Objects.equals(value, defaultValue)) {
        overrides.add(new OverriddenDefault(name, defaultValue, value));
      }
    }
    return new Hardening(options.bool("readOnly"), options.stringList("tmpfs"), options.stringList("capAdd"),
        options.bool("noNewPrivileges"), options.integer("pidsLimit"), options.string("memory"), options.string("cpus"),
        List.copyOf(overrides));
  }

  /** The run flags, in the order a reader expects them. */
  List<String> flags(ContainerRuntime.Kind kind) {
    List<String> flags = new ArrayList<>();
    if (readOnly) {
      flags.add("--read-only");
      if (kind == ContainerRuntime.Kind.PODMAN) {
        // podman mounts writable tmpfs on /run, /tmp and /var/tmp of a read-only container unless told
        // not to; docker does not. Off, the container gets exactly the writable paths listed in tmpfs.
        flags.add("--read-only-tmpfs=false");
      }
    }
    for (String mount : tmpfs) {
      flags.add("--tmpfs");
      flags.add(mount);
    }
    flags.add("--cap-drop");
    flags.add("ALL");
    for (String capability : capAdd) {
      flags.add("--cap-add");
      flags.add(capability);
    }
    if (noNewPrivileges) {
      flags.add("--security-opt");
      flags.add("no-new-privileges");
    }
    if (pidsLimit > 0) {
      flags.add("--pids-limit");
      flags.add(Long.toString(pidsLimit));
    }
    if (!memory.isEmpty()) {
      flags.add("--memory");
      flags.add(memory);
    }
    if (!cpus.isEmpty()) {
      flags.add("--cpus");
      flags.add(cpus);
    }
    return flags;
  }

  ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("readOnly", readOnly);
    tmpfs.forEach(node.putArray("tmpfs")::add);
    node.put("capDrop", "ALL");
    capAdd.forEach(node.putArray("capAdd")::add);
    node.put("noNewPrivileges", noNewPrivileges);
    node.put("pidsLimit", pidsLimit);
    node.put("memory", memory);
    node.put("cpus", cpus);
    return node;
  }

  ArrayNode overridesJson() {
    ArrayNode list = Json.array();
    for (OverriddenDefault override : overrides) {
      ObjectNode entry = list.addObject().put("option", override.option());
      entry.set("default", Json.MAPPER.valueToTree(override.defaultValue()));
      entry.set("value", Json.MAPPER.valueToTree(override.value()));
    }
    return list;
  }
}
