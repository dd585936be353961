package dev.manaknight.runtime.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.Request;
import dev.manaknight.runtime.effects.CommitFault;
import dev.manaknight.runtime.effects.EffectCall;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link JournalRecord} as one JSON object (journal.md, "Record"), and back. Bodies that are
 * UTF-8 text are kept as text (`"body"`), any other bytes in base64 (`"body64"`); VM values go
 * through {@link ValueCodec}.
 */
public final class RecordCodec {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private RecordCodec() {}

    /** The record's JSON, UTF-8, on one line; nothing kept out of the journal is in it. */
    public static byte[] encode(JournalRecord r) { return encode(r, Scrub.NONE); }

    /** The record's JSON, with what `scrub` keeps out of the journal named, sealed or left out. */
    static byte[] encode(JournalRecord r, Scrub all) {
        var out = new ByteArrayOutputStream(512 + r.request().body().length + r.response().body().length);
        encode(r, all, out);
        return out.toByteArray();
    }

    /** {@link #encode(JournalRecord, Scrub)} onto the end of `out` (the writer's {@link Chunk}). */
    static void encode(JournalRecord r, Scrub all, OutputStream out) {
        Scrub scrub = all.forRequest(r.request().headers());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", r.id());
            g.writeStringField("time", r.time().toString());
            g.writeStringField("program", r.program());
            g.writeStringField("config", r.config());
            if (r.dropped() > 0) g.writeNumberField("dropped", r.dropped());
            if (r.commit() != null) g.writeStringField("commit", r.commit().name().toLowerCase(Locale.ROOT));
            g.writeObjectFieldStart("request");
            g.writeStringField("method", r.request().method());
            g.writeFieldName("path");
            scrub.string(g, r.request().rawPath());
            g.writeFieldName("query");
            scrub.string(g, r.request().query());
            headers(g, scrub, r.id(), "request", r.request().headers());
            body(g, scrub, r.request().body());
            g.writeEndObject();
            if (r.route() != null) g.writeStringField("route", r.route());
            g.writeArrayFieldStart("attempts");
            for (Attempt a : r.attempts()) {
                g.writeStartObject();
                if (a.conflicted()) g.writeBooleanField("conflicted", true);
                if (a.unavailable()) g.writeBooleanField("unavailable", true);
                if (a.commit() != null) {
                    g.writeFieldName("commit");
                    scrub.string(g, a.commit().toString());
                }
                g.writeArrayFieldStart("calls");
                for (EffectCall c : a.calls()) {
                    g.writeStartObject();
                    g.writeStringField("op", c.op());
                    g.writeArrayFieldStart("args");
                    for (Object v : c.args()) ValueCodec.write(g, v, scrub);
                    g.writeEndArray();
                    if (c.failure() != null) {
                        g.writeFieldName("failure");
                        scrub.string(g, c.failure());
                    } else {
                        g.writeFieldName("result");
                        ValueCodec.write(g, c.result(), scrub);
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("response");
            g.writeNumberField("status", r.response().status());
            headers(g, scrub, r.id(), "response", r.response().headers());
            body(g, scrub, r.response().body());
            g.writeEndObject();
            g.writeNumberField("fuel", r.fuel());
            g.writeNumberField("memory", r.memory());
            g.writeNumberField("micros", r.micros());
            if (r.failure() != null) {
                g.writeFieldName("failure");
                scrub.string(g, r.failure());
            }
            if (r.stop() != null) g.writeStringField("stop", r.stop());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
    }

    /** An outcome line's JSON (CommitOutcome). */
    static byte[] encode(CommitOutcome o, Scrub scrub) {
        var out = new ByteArrayOutputStream(128);
        encode(o, scrub, out);
        return out.toByteArray();
    }

    /** {@link #encode(CommitOutcome, Scrub)} onto the end of `out`. */
    static void encode(CommitOutcome o, Scrub scrub, OutputStream out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("outcome");
            g.writeStringField("id", o.id());
            g.writeNumberField("run", o.run());
            g.writeStringField("commit", o.fault() == null ? "done" : "failed");
            if (o.fault() != null) {
                g.writeFieldName("fault");
                scrub.string(g, o.fault().toString());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void headers(JsonGenerator g, Scrub scrub, String id, String side, List<Header> headers) throws IOException {
        g.writeArrayFieldStart("headers");
        for (Header h : headers) scrub.header(g, id, side, h);
        g.writeEndArray();
    }

    private static void body(JsonGenerator g, Scrub scrub, byte[] body) throws IOException {
        if (scrub.none() && ascii(body)) { // the common case, without a String made of it: the same JSON string
            g.writeFieldName("body");
            g.writeUTF8String(body, 0, body.length);
            return;
        }
        String text = utf8(body);
        g.writeFieldName(text != null ? "body" : "body64");
        if (text != null) scrub.string(g, text);
        else scrub.bytes(g, body);
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) if (b < 0) return false;
        return true;
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
    public static JournalRecord decode(JsonNode n) { return decode(n, Reveal.NOTHING); }

    /** The record a JSON object encodes, what was kept out of the journal given back by `reveal` where it can. */
    public static JournalRecord decode(JsonNode n, Reveal reveal) {
        Reveal.Pass p = reveal.pass();
        try {
            String id = n.get("id").textValue();
            JsonNode req = n.get("request");
            // the headers first: other values of the record may name pieces of a redacted one (Scrub#forRequest)
            List<Header> requestHeaders = headers(req.get("headers"), p, id, "request");
            var request = new Request(req.get("method").textValue(), p.string(req.get("path")), p.string(req.get("query")),
                    requestHeaders, body(req, p), "");
            var attempts = new ArrayList<Attempt>();
            for (JsonNode a : n.get("attempts")) {
                var calls = new ArrayList<EffectCall>();
                for (JsonNode c : a.get("calls")) {
                    var args = new ArrayList<Object>();
                    for (JsonNode v : c.get("args")) args.add(ValueCodec.read(v, p));
                    String failure = c.hasNonNull("failure") ? p.string(c.get("failure")) : null;
                    calls.add(new EffectCall(c.get("op").textValue(), args,
                            failure != null ? null : ValueCodec.read(c.get("result"), p), failure));
                }
                CommitFault commit = a.hasNonNull("commit") ? CommitFault.parse(p.string(a.get("commit"))) : null;
                attempts.add(new Attempt(calls, a.path("conflicted").asBoolean(false), a.path("unavailable").asBoolean(false),
                        commit));
            }
            JsonNode resp = n.get("response");
            var response = new Reply(resp.get("status").intValue(), headers(resp.get("headers"), p, id, "response"),
                    body(resp, p));
            JournalRecord.Commit commit = n.hasNonNull("commit")
                    ? JournalRecord.Commit.valueOf(n.get("commit").textValue().toUpperCase(Locale.ROOT)) : null;
            return new JournalRecord(id, Instant.parse(n.get("time").textValue()), n.get("program").textValue(),
                    n.get("config").textValue(), request, n.hasNonNull("route") ? n.get("route").textValue() : null, attempts,
                    response, n.get("fuel").longValue(), n.get("memory").longValue(), n.get("micros").longValue(),
                    n.hasNonNull("failure") ? p.string(n.get("failure")) : null,
                    n.hasNonNull("stop") ? n.get("stop").textValue() : null, n.path("dropped").asLong(0), commit, p.hidden());
        } catch (NullPointerException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a journal record: " + e.getMessage(), e);
        }
    }

    /** The outcome an outcome line's JSON holds, or null when the JSON is no outcome line. */
    static CommitOutcome outcome(JsonNode n) {
        JsonNode o = n.get("outcome");
        if (o == null) return null;
        try {
            CommitFault fault = "failed".equals(o.get("commit").textValue())
                    ? CommitFault.parse(Reveal.SHOW.pass().string(o.get("fault"))) : null;
            return new CommitOutcome(o.get("id").textValue(), o.get("run").intValue(), fault);
        } catch (NullPointerException e) {
            throw new IllegalArgumentException("not a journal outcome: " + n, e);
        }
    }

    private static List<Header> headers(JsonNode array, Reveal.Pass p, String id, String side) {
        var out = new ArrayList<Header>(array.size());
        for (JsonNode h : array) {
            String name = h.get(0).textValue();
            out.add(new Header(name, p.header(h.get(1), id, side, name, out.size())));
        }
        return out;
    }

    private static byte[] body(JsonNode holder, Reveal.Pass p) {
        if (holder.hasNonNull("body")) return p.string(holder.get("body")).getBytes(StandardCharsets.UTF_8);
        return p.bytes(holder.get("body64"));
    }
}
