package dev.releasegate.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A {@link JsonLog} writing to memory, and a strict reader for what it wrote. */
final class LogCapture {

    private static final JsonFactory FACTORY = new JsonFactory();

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    final JsonLog log;

    LogCapture() {
        this(Clock.systemUTC());
    }

    LogCapture(Clock clock) {
        log = new JsonLog(buffer, clock);
    }

    String text() {
        synchronized (log) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    /** Every line, each checked to be one JSON object with ts, level and msg. */
    List<Map<String, Object>> entries() {
        return parseLines(text());
    }

    List<String> messages() {
        return entries().stream().map(entry -> (String) entry.get("msg")).collect(Collectors.toList());
    }

    static List<Map<String, Object>> parseLines(String text) {
        List<Map<String, Object>> entries = new ArrayList<>();
        if (text.isEmpty()) {
            return entries;
        }
        assertEquals('\n', text.charAt(text.length() - 1), "log must end with a complete line");
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            Map<String, Object> entry = parseObject(line);
            Instant.parse((String) entry.get("ts"));
            assertInstanceOf(String.class, entry.get("level"), line);
            assertInstanceOf(String.class, entry.get("msg"), line);
            entries.add(entry);
        }
        return entries;
    }

    /** Parses exactly one JSON object and fails on anything after it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken first = parser.nextToken();
            assertEquals(JsonToken.START_OBJECT, first, "not a JSON object: " + json);
            Object value = readValue(parser, first);
            assertNull(parser.nextToken(), "trailing content after the object: " + json);
            return (Map<String, Object>) value;
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
        assertNotNull(token, "unexpected end of JSON");
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    object.put(name, readValue(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY: {
                List<Object> array = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    array.add(readValue(parser, next));
                }
                return array;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return true;
            case VALUE_FALSE:
                return false;
            case VALUE_NULL:
                return null;
            default:
                throw new AssertionError("unexpected JSON token " + token);
        }
    }
}
