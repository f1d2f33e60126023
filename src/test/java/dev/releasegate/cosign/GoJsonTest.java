package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected strings are what Go 1.22+ {@code json.Marshal} prints for the same values. */
class GoJsonTest {

  @Test
  void escapesLikeGo() {
    assertEquals("\"\\u003cscript\\u003e \\u0026 \\\" \\\\ /\"", go("<script> & \" \\ /"));
    assertEquals("\"\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\"", go("\b\f\n\r\t\u0000\u001f\u007f"), "DEL is not escaped");
    assertEquals("\"\\u2028\\u2029\"", go("\u2028\u2029"));
    assertEquals("\"é😀\"", go("é😀"));
    assertEquals("\"\\ufffd\\ufffd\"", go("\ud800\udc00".substring(1) + "\ud800"), "unpaired surrogates become U+FFFD");
  }

  @Test
  void sortsMapKeysByUtf8BytesAndKeepsStructOrder() {
    assertEquals("{\"B\":1,\"a\":2,\"\ue000\":3,\"\ud83d\ude00\":4}", go(Map.of("a", 2L, "B", 1L, "\ud83d\ude00", 4L, "\ue000", 3L)));
    assertEquals("{\"z\":null,\"a\":[true,false,7]}",
        go(new GoJson.Ordered(List.of(new AbstractMap.SimpleEntry<>("z", null), Map.entry("a", List.of(true, false, 7))))));
    assertThrows(IllegalArgumentException.class, () -> GoJson.marshal(1.5));
  }

  private static String go(Object value) {
    return new String(GoJson.marshal(value), StandardCharsets.UTF_8);
  }
}
