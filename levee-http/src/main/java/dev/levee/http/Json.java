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
        return MAPPER.readTree(body.getBytes());
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
