package dev.manaknight.runtime.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
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

    /**
     * The record's field names, their JSON form made once: the writer encodes every record on one
     * thread, and spelling each name out again (Jackson checks every character for escaping) was a
     * good part of its time per record (bench/RESULTS.md §21).
     */
    private static final SerializedString ARGS = new SerializedString("args");
    private static final SerializedString ATTEMPTS = new SerializedString("attempts");
    private static final SerializedString BODY = new SerializedString("body");
    private static final SerializedString CALLS = new SerializedString("calls");
    private static final SerializedString COMMIT = new SerializedString("commit");
    private static final SerializedString CONFIG = new SerializedString("config");
    private static final SerializedString CONFLICTED = new SerializedString("conflicted");
    private static final SerializedString DROPPED = new SerializedString("dropped");
    private static final SerializedString FAILURE = new SerializedString("failure");
    private static final SerializedString FUEL = new SerializedString("fuel");
    private static final SerializedString HEADERS = new SerializedString("headers");
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString MEMORY = new SerializedString("memory");
    private static final SerializedString METHOD = new SerializedString("method");
    private static final SerializedString MICROS = new SerializedString("micros");
    private static final SerializedString OP = new SerializedString("op");
    private static final SerializedString PATH = new SerializedString("path");
    private static final SerializedString PROGRAM = new SerializedString("program");
    private static final SerializedString QUERY = new SerializedString("query");
    private static final SerializedString REQUEST = new SerializedString("request");
    private static final SerializedString RESPONSE = new SerializedString("response");
    private static final SerializedString RESULT = new SerializedString("result");
    private static final SerializedString ROUTE = new SerializedString("route");
    private static final SerializedString STATUS = new SerializedString("status");
    private static final SerializedString STOP = new SerializedString("stop");
    private static final SerializedString TIME = new SerializedString("time");
    private static final SerializedString UNAVAILABLE = new SerializedString("unavailable");

    private static JsonGenerator field(JsonGenerator g, SerializedString name) throws IOException {
        g.writeFieldName(name);
        return g;
    }

    /** The record's JSON, UTF-8, on one line; nothing kept out of the journal is in it. */
    public static byte[] encode(JournalRecord r) { return encode(r, new RecordTexts()); }

    /** {@link #encode(JournalRecord)} by a thread that encodes many and keeps `texts` for them. */
    public static byte[] encode(JournalRecord r, RecordTexts texts) { return encode(r, Scrub.NONE, texts); }

    /** The record's JSON, with what `scrub` keeps out of the journal named, sealed or left out. */
    static byte[] encode(JournalRecord r, Scrub all) { return encode(r, all, new RecordTexts()); }

    private static byte[] encode(JournalRecord r, Scrub all, RecordTexts texts) {
        var out = new ByteArrayOutputStream(512 + r.request().body().length + r.response().body().length);
        encode(r, all, texts, out);
        return out.toByteArray();
    }

    /** {@link #encode(JournalRecord, Scrub)} onto the end of `out` (the writer's {@link Chunk}), by the thread that keeps `texts`. */
    static void encode(JournalRecord r, Scrub all, RecordTexts texts, OutputStream out) {
        Scrub scrub = all.forRequest(r.request().headers());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            field(g, ID).writeString(r.id());
            g.writeFieldName(TIME);
            int n = texts.time(r.time());
            if (n >= 0) g.writeRawUTF8String(texts.timeBuffer(), 0, n);
            else g.writeString(r.time().toString());
            g.writeFieldName(PROGRAM);
            plain(g, r.program(), texts.program(r.program()));
            g.writeFieldName(CONFIG);
            plain(g, r.config(), texts.config(r.config()));
            if (r.dropped() > 0) field(g, DROPPED).writeNumber(r.dropped());
            if (r.commit() != null) field(g, COMMIT).writeString(r.commit().name().toLowerCase(Locale.ROOT));
            field(g, REQUEST).writeStartObject();
            field(g, METHOD).writeString(r.request().method());
            g.writeFieldName(PATH);
            scrub.string(g, r.request().rawPath());
            g.writeFieldName(QUERY);
            scrub.string(g, r.request().query());
            headers(g, scrub, r.id(), "request", r.request().headers());
            body(g, scrub, r.request().body());
            g.writeEndObject();
            if (r.route() != null) field(g, ROUTE).writeString(r.route());
            field(g, ATTEMPTS).writeStartArray();
            for (Attempt a : r.attempts()) {
                g.writeStartObject();
                if (a.conflicted()) field(g, CONFLICTED).writeBoolean(true);
                if (a.unavailable()) field(g, UNAVAILABLE).writeBoolean(true);
                if (a.commit() != null) {
                    g.writeFieldName(COMMIT);
                    scrub.string(g, a.commit().toString());
                }
                field(g, CALLS).writeStartArray();
                for (EffectCall c : a.calls()) {
                    g.writeStartObject();
                    field(g, OP).writeString(c.op());
                    field(g, ARGS).writeStartArray();
                    for (Object v : c.args()) ValueCodec.write(g, v, scrub);
                    g.writeEndArray();
                    if (c.failure() != null) {
                        g.writeFieldName(FAILURE);
                        scrub.string(g, c.failure());
                    } else {
                        g.writeFieldName(RESULT);
                        ValueCodec.write(g, c.result(), scrub);
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            field(g, RESPONSE).writeStartObject();
            field(g, STATUS).writeNumber(r.response().status());
            headers(g, scrub, r.id(), "response", r.response().headers());
            body(g, scrub, r.response().body());
            g.writeEndObject();
            field(g, FUEL).writeNumber(r.fuel());
            field(g, MEMORY).writeNumber(r.memory());
            field(g, MICROS).writeNumber(r.micros());
            if (r.failure() != null) {
                g.writeFieldName(FAILURE);
                scrub.string(g, r.failure());
            }
            if (r.stop() != null) field(g, STOP).writeString(r.stop());
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

    /** `text` as a JSON string, from `json` (its bytes, which need no escaping) when there is one. */
    private static void plain(JsonGenerator g, String text, byte[] json) throws IOException {
        if (json != null) g.writeRawUTF8String(json, 0, json.length);
        else g.writeString(text);
    }

    private static void headers(JsonGenerator g, Scrub scrub, String id, String side, List<Header> headers) throws IOException {
        field(g, HEADERS).writeStartArray();
        for (Header h : headers) scrub.header(g, id, side, h);
        g.writeEndArray();
    }

    private static void body(JsonGenerator g, Scrub scrub, byte[] body) throws IOException {
        if (scrub.none() && ascii(body)) { // the common case, without a String made of it: the same JSON string
            g.writeFieldName(BODY);
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
