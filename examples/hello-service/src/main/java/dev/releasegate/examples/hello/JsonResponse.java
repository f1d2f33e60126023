package dev.releasegate.examples.hello;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP status and the flat JSON object sent as the body. */
record JsonResponse(int status, Map<String, ?> body) {

    /** @param keyValues alternating field names and values, kept in the order given */
    static JsonResponse of(int status, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keyValues must come in pairs, got " + keyValues.length + " items");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            body.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        return new JsonResponse(status, Collections.unmodifiableMap(body));
    }
}
