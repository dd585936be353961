package dev.manaknight.runtime.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Values;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 (outbound answers as records): `T.fromJson(j)` reads a `Json` value by the rules a
 * request body of type T is read by — unknown members refused, required fields, types, Decimal
 * digits, RFC 3339 instants, `Patch` cases — and answers `err` naming each wrong member by its
 * pointer, never failing the request; the text it reads is limited like `Json.parse`'s.
 */
class JsonDecodeTest {
    private static final String APP = """
            type Charge { id: String, amount: Decimal, at: Instant, note: Option<String>, tags: List<String> }
            type Note { text: String }
            type Change { note: Patch<String> }

            fn charge(text: String): String {
              match Json.parse(text).andThen(j -> Charge.fromJson(j)) {
                ok(c) -> "${c.id} ${c.amount} ${c.at} ${c.note} ${c.tags}"
                err(e) -> "err: " + e
              }
            }

            fn note(text: String): String {
              match Json.parse(text).andThen(j -> Note.fromJson(j)) {
                ok(n) -> "ok ${n.text.len()}"
                err(e) -> "err: " + e
              }
            }

            fn change(text: String): String {
              match Json.parse(text).andThen(j -> Change.fromJson(j)) {
                ok(c) -> match c.note {
                  Patch.absent -> "absent"
                  Patch.null -> "null"
                  Patch.set(n) -> "set " + n
                }
                err(e) -> "err: " + e
              }
            }
            """;
    private static final JsonTestApp APP_RUN = new JsonTestApp(APP);

    private static String run(String function, String text) { return APP_RUN.run(function, text); }

    @Test void aValueOfTheRightShapeIsTheRecord() {
        assertEquals("ch_1 12.50 2026-01-02T03:04:05Z none [\"a\"]",
                run("charge", "{\"id\":\"ch_1\",\"amount\":12.50,\"at\":\"2026-01-02T03:04:05Z\",\"tags\":[\"a\"]}"));
        assertEquals("ch_2 1 2026-01-02T02:04:05Z some(\"n\") []",
                run("charge", "{\"tags\":[],\"note\":\"n\",\"at\":\"2026-01-02T03:04:05+01:00\",\"amount\":1,\"id\":\"ch_2\"}"));
    }

    @Test void everyWrongMemberIsNamedByItsPointer() {
        assertEquals("err: /id must be a string; /amount must be a number; /at is required; /tags/1 must be a string;"
                        + " /extra is not a field of this type",
                run("charge", "{\"id\":1,\"amount\":\"12\",\"tags\":[\"a\",2],\"extra\":true}"));
        assertEquals("err: the value must be an object", run("charge", "[1]"));
        assertEquals("err: /amount " + JsonDecoder.TOO_MANY_DIGITS,
                run("charge", "{\"id\":\"x\",\"amount\":1e1000,\"at\":\"2026-01-02T03:04:05Z\",\"tags\":[]}"));
    }

    @Test void aPatchFieldTellsItsThreeCasesApart() {
        assertEquals("absent", run("change", "{}"));
        assertEquals("null", run("change", "{\"note\":null}"));
        assertEquals("set x", run("change", "{\"note\":\"x\"}"));
        assertEquals("err: /note must be a string", run("change", "{\"note\":5}"));
    }

    /** The text read is at most {@link JsonText#MAX_BYTES}, as for `Json.parse`: at the limit it is read, one past it not. */
    @Test void theTextIsReadUpToItsLimit() {
        int room = JsonText.MAX_BYTES - "{\"text\":\"\"}".length();
        assertEquals("ok " + room, run("note", "{\"text\":\"" + "a".repeat(room) + "\"}"));
        // One past cannot come from Json.parse (it has the same limit), so the decoder is asked directly.
        assertEquals(new Values.Err("the value's text is longer than " + JsonText.MAX_BYTES + " bytes"),
                JsonText.decode("{\"text\":\"" + "a".repeat(room + 1) + "\"}", new Type.Named("Note"), APP_RUN.module));
    }
}
