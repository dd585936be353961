package dev.manaknight.runtime.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.manaknight.lang.vm.Values;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 6: `Json.parse` reads text with a request body's reader and limits, each limit
 * met at its value and refused one past it; and the VM's `toString` of a `Json` value writes the
 * bytes the response encoder writes for it.
 */
class JsonTextTest {
    private static final String APP = """
            fn roundTrip(s: String): String {
              match Json.parse(s) {
                ok(j) -> j.toString()
                err(e) -> "err: " + e
              }
            }
            """;
    private static final JsonTestApp RUN = new JsonTestApp(APP);

    private static Object ok(String text) {
        return assertInstanceOf(Values.Ok.class, JsonText.parse(text), text).value();
    }

    private static String err(String text) {
        return (String) assertInstanceOf(Values.Err.class, JsonText.parse(text), text).value();
    }

    /** The VM's parse then `toString`. */
    private static String roundTrip(String text) {
        return RUN.run("roundTrip", text);
    }

    /** What the response encoder writes for the same tree. */
    private static String encoded(Object json) throws IOException {
        var out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            JsonEncoder.writeJson(g, json);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test void readsAnyJsonInOrder() {
        var m = assertInstanceOf(Values.MapValue.class, ok("{\"b\": [1, 2.50, \"x\", null, true], \"a\": {}}"));
        assertEquals(List.of("b", "a"), List.of(m.keys()));
        assertEquals("[1, 2.50, \"x\", null, true]", Values.display(m.values()[0]));
        assertEquals(7L, ok(" 7 "));
    }

    @Test void theVmWritesWhatTheEncoderWrites() throws IOException {
        for (String text : List.of("{\"b\":[1,2.50,\"x\",null,true],\"a\":{}}",
                "\"tab\\tquote\\\"nl\\n\\u0001\\u001f é 😀 /\"",
                "[1e3,-0.0,12345678901234567890,1.5E-7]", "{\"k\":{\"k\":{\"k\":[]}}}", "false", "null")) {
            assertEquals(encoded(ok(text)), roundTrip(text), text);
        }
    }

    @Test void syntaxErrorsSayWhere() {
        assertTrue(err("{\"a\": }").contains("at line 1, column "), err("{\"a\": }"));
        assertTrue(err("[1] 2").contains("Trailing token"), err("[1] 2"));
        assertTrue(err("{\"a\":1,\"a\":2}").contains("Duplicate field 'a'"), err("{\"a\":1,\"a\":2}"));
        assertEquals("the text is empty", err("  "));
        assertEquals("err: the text is empty", roundTrip(""));
    }

    @Test void nestingIsReadToTheReadersLimitAndNoFurther() {
        int max = StreamReadConstraints.DEFAULT_MAX_DEPTH;
        ok("[".repeat(max) + "]".repeat(max));
        String past = err("[".repeat(max + 1) + "]".repeat(max + 1));
        assertTrue(past.contains("nest deeper than " + max), past);
    }

    @Test void decimalsHaveARequestBodysDigits() {
        ok("1e999");
        assertEquals("/a/0 " + JsonDecoder.TOO_MANY_DIGITS, err("{\"a\":[1e1000]}"));
    }

    @Test void aLoneSurrogateIsNoText() {
        assertTrue(err("{\"a\":\"\\uD800\"}").startsWith("/a has a lone surrogate (U+D800)"), err("{\"a\":\"\\uD800\"}"));
        assertTrue(err("\"\uDC00\"").contains("lone surrogate (U+DC00) at character 1"), err("\"\uDC00\""));
    }

    @Test void theTextIsReadUpToItsLimit() {
        String at = "\"" + "a".repeat(JsonText.MAX_BYTES - 2) + "\"";
        assertEquals(JsonText.MAX_BYTES - 2, ((String) ok(at)).length());
        assertEquals("the text is longer than " + JsonText.MAX_BYTES + " bytes", err(at + " "));
    }
}
