package dev.releasegate.examples.hello;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Turns the few value shapes this service emits into compact JSON with jackson-core's streaming API. */
final class Json {

    /** Causes nested deeper than this are cut off, so a cyclic cause chain cannot loop forever. */
    private static final int MAX_CAUSE_DEPTH = 5;

    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /** One JSON object, UTF-8, on a single line: the generator escapes every control character. */
    static byte[] object(Map<String, ?> fields) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = FACTORY.createGenerator(buffer)) {
            writeValue(generator, fields, 0);
        } catch (IOException e) {
            // Writing to memory cannot fail for I/O reasons; this is a programming error.
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private static void writeValue(JsonGenerator generator, Object value, int depth) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String text) {
            generator.writeString(text);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            generator.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number number) {
            generator.writeNumber(number.doubleValue());
        } else if (value instanceof Boolean flag) {
            generator.writeBoolean(flag);
        } else if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                generator.writeFieldName(String.valueOf(entry.getKey()));
                writeValue(generator, entry.getValue(), depth);
            }
            generator.writeEndObject();
        } else if (value instanceof Iterable<?> items) {
            generator.writeStartArray();
            for (Object item : items) {
                writeValue(generator, item, depth);
            }
            generator.writeEndArray();
        } else if (value instanceof Throwable error) {
            writeThrowable(generator, error, depth);
        } else {
            generator.writeString(value.toString());
        }
    }

    /** Exceptions become data, never a plain-text stack trace that would break the one-object-per-line contract. */
    private static void writeThrowable(JsonGenerator generator, Throwable error, int depth) throws IOException {
        generator.writeStartObject();
        generator.writeStringField("type", error.getClass().getName());
        if (error.getMessage() != null) {
            generator.writeStringField("message", error.getMessage());
        }
        generator.writeArrayFieldStart("stack");
        for (StackTraceElement frame : error.getStackTrace()) {
            generator.writeString(frame.toString());
        }
        generator.writeEndArray();
        Throwable cause = error.getCause();
        if (cause != null && cause != error && depth < MAX_CAUSE_DEPTH) {
            generator.writeFieldName("cause");
            writeThrowable(generator, cause, depth + 1);
        }
        generator.writeEndObject();
    }
}
