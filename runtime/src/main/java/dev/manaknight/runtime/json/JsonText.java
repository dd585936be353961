package dev.manaknight.runtime.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.runtime.InputError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * `Json.parse(text)` in a handler: the text read by the same reader, with the same limits, as a
 * JSON request body (nesting, number and string lengths, Decimal digits, lone surrogates; see
 * {@link JsonDecoder}), and at most {@link #MAX_BYTES} of it. The answer is `ok(json)`, or
 * `err(message)` saying what is wrong and where, in the words of a 400 for a body.
 */
public final class JsonText {
    private JsonText() {}

    /**
     * Bytes of text `Json.parse` reads: 1 MiB (the default `limits.body` sixteen times over). A
     * constant, not `limits.body`: the answer must depend on the text alone, so that a replay under
     * another configuration parses the same. The VM's memory limit (256 KB by default) usually stops
     * a longer text being made at all; this bounds what the reader allocates before the meter sees it.
     */
    public static final int MAX_BYTES = 1 << 20;

    public static Object parse(String text) {
        int bad = JsonDecoder.loneSurrogate(text);
        if (bad >= 0) return new Values.Err("the text has a lone surrogate (U+" + String.format("%04X", (int) text.charAt(bad))
                + ") at character " + bad + ", which is not a Unicode character");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) return new Values.Err("the text is longer than " + MAX_BYTES + " bytes");
        if (text.isBlank()) return new Values.Err("the text is empty");
        JsonNode node;
        try {
            node = JsonDecoder.parse(bytes);
        } catch (IOException e) {
            return new Values.Err(ReadError.describe(e));
        }
        var errors = new ArrayList<InputError>();
        Object v = JsonDecoder.checkedJson(node, errors);
        if (v != null) return new Values.Ok(v);
        InputError first = errors.getFirst();
        return new Values.Err(say(first));
    }

    /**
     * `T.fromJson(j)`: the text of a `Json` value read as a request body of `type` is (records'
     * unknown members refused, required fields, ranges, RFC 3339 instants, …). The answer is
     * `ok(value)`, or `err` naming every wrong member by its pointer, `; `-separated, as a 400 lists them.
     */
    public static Object decode(String text, Type type, Module module) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) return new Values.Err("the value's text is longer than " + MAX_BYTES + " bytes");
        JsonNode node;
        try {
            node = JsonDecoder.parse(bytes);
        } catch (IOException e) { // the VM printed it: only the reader's limits (nesting, lengths) refuse it
            return new Values.Err(ReadError.describe(e));
        }
        var errors = new ArrayList<InputError>();
        Object v = new JsonDecoder(new TypeTable(module)).decode(node, type, "", errors);
        if (errors.isEmpty()) return new Values.Ok(v);
        var sb = new StringBuilder();
        for (InputError e : errors) sb.append(sb.isEmpty() ? "" : "; ").append(say(e));
        return new Values.Err(sb.toString());
    }

    private static String say(InputError e) {
        return (e.pointer().isEmpty() ? "the value" : e.pointer()) + " " + e.detail();
    }
}
