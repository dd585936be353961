package dev.manaknight.runtime.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.Request;
import dev.manaknight.runtime.effects.EffectCall;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A {@link JournalRecord} as one JSON object (journal.md, "Record"), and back. Bodies that are
 * UTF-8 text are kept as text (`"body"`), any other bytes in base64 (`"body64"`); VM values go
 * through {@link ValueCodec}.
 */
public final class RecordCodec {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private RecordCodec() {}

    /** The record's JSON, UTF-8, on one line. */
    public static byte[] encode(JournalRecord r) {
        var out = new ByteArrayOutputStream(512 + r.request().body().length + r.response().body().length);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", r.id());
            g.writeStringField("time", r.time().toString());
            g.writeStringField("program", r.program());
            g.writeStringField("config", r.config());
            if (r.dropped() > 0) g.writeNumberField("dropped", r.dropped());
            g.writeObjectFieldStart("request");
            g.writeStringField("method", r.request().method());
            g.writeStringField("path", r.request().rawPath());
            g.writeStringField("query", r.request().query());
            headers(g, r.request().headers());
            body(g, r.request().body());
            g.writeEndObject();
            if (r.route() != null) g.writeStringField("route", r.route());
            g.writeArrayFieldStart("attempts");
            for (Attempt a : r.attempts()) {
                g.writeStartObject();
                if (a.conflicted()) g.writeBooleanField("conflicted", true);
                if (a.unavailable()) g.writeBooleanField("unavailable", true);
                g.writeArrayFieldStart("calls");
                for (EffectCall c : a.calls()) {
                    g.writeStartObject();
                    g.writeStringField("op", c.op());
                    g.writeArrayFieldStart("args");
                    for (Object v : c.args()) ValueCodec.write(g, v);
                    g.writeEndArray();
                    if (c.failure() != null) g.writeStringField("failure", c.failure());
                    else {
                        g.writeFieldName("result");
                        ValueCodec.write(g, c.result());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("response");
            g.writeNumberField("status", r.response().status());
            headers(g, r.response().headers());
            body(g, r.response().body());
            g.writeEndObject();
            g.writeNumberField("fuel", r.fuel());
            g.writeNumberField("memory", r.memory());
            g.writeNumberField("micros", r.micros());
            if (r.failure() != null) g.writeStringField("failure", r.failure());
            if (r.stop() != null) g.writeStringField("stop", r.stop());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    private static void headers(JsonGenerator g, List<Header> headers) throws IOException {
        g.writeArrayFieldStart("headers");
        for (Header h : headers) {
            g.writeStartArray();
            g.writeString(h.name());
            g.writeString(h.value());
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    private static void body(JsonGenerator g, byte[] body) throws IOException {
        String text = utf8(body);
        if (text != null) g.writeStringField("body", text);
        else g.writeStringField("body64", Base64.getEncoder().encodeToString(body));
    }

    /** The bytes as text when they are well-formed UTF-8, else null. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Parses JSON text (a record, or a whole journal line). */
    static JsonNode tree(byte[] json) throws IOException { return MAPPER.readTree(json); }

    /** The record a JSON object encodes; a malformed one is an {@link IllegalArgumentException}. */
    public static JournalRecord decode(JsonNode n) {
        try {
            JsonNode req = n.get("request");
            var request = new Request(req.get("method").textValue(), req.get("path").textValue(), req.get("query").textValue(),
                    headers(req.get("headers")), body(req), "");
            var attempts = new ArrayList<Attempt>();
            for (JsonNode a : n.get("attempts")) {
                var calls = new ArrayList<EffectCall>();
                for (JsonNode c : a.get("calls")) {
                    var args = new ArrayList<Object>();
                    for (JsonNode v : c.get("args")) args.add(ValueCodec.read(v));
                    String failure = c.hasNonNull("failure") ? c.get("failure").textValue() : null;
                    calls.add(new EffectCall(c.get("op").textValue(), args, failure != null ? null : ValueCodec.read(c.get("result")),
                            failure));
                }
                attempts.add(new Attempt(calls, a.path("conflicted").asBoolean(false), a.path("unavailable").asBoolean(false)));
            }
            JsonNode resp = n.get("response");
            var response = new Reply(resp.get("status").intValue(), headers(resp.get("headers")), body(resp));
            return new JournalRecord(n.get("id").textValue(), Instant.parse(n.get("time").textValue()), n.get("program").textValue(),
                    n.get("config").textValue(), request, n.hasNonNull("route") ? n.get("route").textValue() : null, attempts,
                    response, n.get("fuel").longValue(), n.get("memory").longValue(), n.get("micros").longValue(),
                    n.hasNonNull("failure") ? n.get("failure").textValue() : null,
                    n.hasNonNull("stop") ? n.get("stop").textValue() : null, n.path("dropped").asLong(0));
        } catch (NullPointerException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a journal record: " + e.getMessage(), e);
        }
    }

    private static List<Header> headers(JsonNode array) {
        var out = new ArrayList<Header>(array.size());
        for (JsonNode h : array) out.add(new Header(h.get(0).textValue(), h.get(1).textValue()));
        return out;
    }

    private static byte[] body(JsonNode holder) {
        if (holder.hasNonNull("body")) return holder.get("body").textValue().getBytes(StandardCharsets.UTF_8);
        return Base64.getDecoder().decode(holder.get("body64").textValue());
    }
}
