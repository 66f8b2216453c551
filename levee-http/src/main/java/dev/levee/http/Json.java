package dev.levee.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** The gateway's JSON: strict parsing (one document, bounded nesting), compact writing. */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(8 * 1024 * 1024).maxNumberLength(64).build());
        MAPPER.getFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    }

    private Json() {
    }

    static JsonNode parse(Buffer body) throws IOException {
        byte[] bytes = body.getBytes();
        if (!wellFormedUtf8(bytes)) {
            throw new NotUtf8();
        }
        return MAPPER.readTree(bytes);
    }

    /** A body that is not well-formed UTF-8: Jackson alone lets overlong forms through. */
    static final class NotUtf8 extends IOException {
        private static final long serialVersionUID = 1L;

        NotUtf8() {
            super("the request body is not valid UTF-8", null);
        }
    }

    /**
     * Whether {@code bytes} are well-formed UTF-8 as the Unicode standard defines it: no overlong
     * forms (C0 AF for '/'), no surrogates, nothing past U+10FFFF — the JDK's decoder judges. An
     * ASCII body, the common case, is decided by the scan alone.
     */
    static boolean wellFormedUtf8(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && bytes[i] >= 0) {
            i++;
        }
        if (i == bytes.length) {
            return true;
        }
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes, i, bytes.length - i));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** The fields of an object, written with a generator. */
    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * An object written with a generator straight to bytes: on the answer path, building a tree and
     * serialising it cost several times as much.
     */
    static Buffer object(Fields fields) {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(512);
             JsonGenerator g = MAPPER.getFactory().createGenerator(bytes)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
            g.flush();
            return Buffer.buffer(bytes.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an answer", e); // in memory: cannot happen
        }
    }

    static Buffer write(JsonNode node) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }
}
