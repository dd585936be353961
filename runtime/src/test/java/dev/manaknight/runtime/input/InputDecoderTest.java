package dev.manaknight.runtime.input;

import static dev.manaknight.runtime.Fixtures.body;
import static dev.manaknight.runtime.Fixtures.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.runtime.Fixtures;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.InputError;
import dev.manaknight.runtime.json.JsonDecoder;
import dev.manaknight.runtime.json.TypeTable;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputDecoderTest {
    private final InputDecoder decoder = new InputDecoder(new TypeTable(Fixtures.users()));
    private final Route search = Fixtures.users().routes().get(4);
    private final Route create = Fixtures.users().routes().get(2);
    private static final Header JSON = new Header("content-type", "application/json; charset=utf-8");

    private Object[] valid(Route r, Map<String, String> params, dev.manaknight.runtime.Request req) {
        return assertInstanceOf(Inputs.Valid.class, decoder.decode(r, params, req)).args();
    }

    private List<InputError> invalid(Route r, Map<String, String> params, dev.manaknight.runtime.Request req) {
        return assertInstanceOf(Inputs.Invalid.class, decoder.decode(r, params, req)).errors();
    }

    @Test void pathIntIsParsed() {
        Route r = Fixtures.users().routes().getFirst();
        assertEquals(42L, valid(r, Map.of("id", "42"), Fixtures.get("/users/42"))[0]);
        assertEquals(List.of(new InputError("/path/id", "must be an integer")), invalid(r, Map.of("id", "abc"), Fixtures.get("/x")));
        assertEquals(List.of(new InputError("/path/id", "is out of range for Int")),
                invalid(r, Map.of("id", "99999999999999999999"), Fixtures.get("/x")));
    }

    @Test void queryDefaultsListsOptionsEnumsAndHeaders() {
        Object[] args = valid(search, Map.of(), Fixtures.get("/search?tag=a&tag=b+c&color=green",
                new Header("idempotency-key", "k1")));
        assertEquals(10L, args[0]);
        assertEquals(new Values.ListValue(new Object[] {"a", "b c"}), args[1]);
        assertEquals(Values.None.NONE, args[2]);
        assertEquals("green", ((Values.EnumValue) args[3]).variantName());
        assertEquals("k1", args[4]);
        Object[] more = valid(search, Map.of(), Fixtures.get("/search?limit=3&note=hi&color=red", new Header("Idempotency-Key", "x")));
        assertEquals(3L, more[0]);
        assertEquals(ListOfNothing(), more[1]);
        assertEquals(new Values.Some("hi"), more[2]);
    }

    private static Values.ListValue ListOfNothing() { return new Values.ListValue(new Object[0]); }

    @Test void everyErrorIsCollected() {
        var errors = invalid(search, Map.of(), Fixtures.get("/search?limit=ten&limit=2&color=blue"));
        assertEquals(List.of(
                new InputError("/query/limit", "must be given once"),
                new InputError("/query/color", "must be one of red, green"),
                new InputError("/header/Idempotency-Key", "is required")), errors);
        var bad = invalid(search, Map.of(), Fixtures.get("/search?limit=1.5&color=red", new Header("Idempotency-Key", "k")));
        assertEquals(List.of(new InputError("/query/limit", "must be an integer")), bad);
    }

    /** Issue 12: a raw non-ASCII or control character in the query is a 400 like a bad escape there. */
    @Test void rawNonAsciiOrControlInTheQueryIsInvalid() {
        for (String q : List.of("color=r\u00e9d", "color=\u00ff", "tag=a\u0000", "tag=\u007f", "x\u0001=1", "tag=a b", "tag=%ff")) {
            var errors = invalid(search, Map.of(), Fixtures.get("/search?" + q, new Header("Idempotency-Key", "k")));
            assertEquals("/query", errors.getFirst().pointer(), q);
        }
    }

    @Test void bodyIsDecodedExactly() {
        Object[] args = valid(create, Map.of(), Fixtures.req("POST", "/users",
                "{\"name\":\"Ada\",\"email\":\"a@x\",\"balance\":12.50,\"role\":\"admin\"}", JSON));
        var rec = (Values.RecordValue) args[0];
        assertEquals("NewUser", rec.typeName());
        assertEquals("Ada", rec.fields()[0]);
        assertEquals(Values.None.NONE, rec.fields()[2]);
        assertEquals(new BigDecimal("12.50"), rec.fields()[3]);
        assertEquals("12.50", ((BigDecimal) rec.fields()[3]).toPlainString());
        Object[] withNull = valid(create, Map.of(), Fixtures.req("POST", "/users",
                "{\"name\":\"Ada\",\"email\":\"a@x\",\"age\":null,\"balance\":0.1,\"role\":{\"type\":\"suspended\",\"reason\":\"late\"}}", JSON));
        var r2 = (Values.RecordValue) withNull[0];
        assertEquals(Values.None.NONE, r2.fields()[2]);
        var role = (Values.EnumValue) r2.fields()[4];
        assertEquals("suspended", role.variantName());
        assertEquals("late", role.payload()[0]);
    }

    /** Issue 15: a `raw` input is the body's bytes as text, as sent, whatever its Content-Type. */
    @Test void aRawInputIsTheBodyAsSent() {
        Route hook = new Route(HttpMethod.POST, "/hook", 0, List.of(new Route.Input(Route.Source.RAW, "payload", "payload",
                Type.STRING, null)), 0, List.of(), "app.mnk", 1);
        String sent = "{ \"kind\" :  \"paid\",\n \"note\": \"h\u00e9\" }";
        assertEquals(sent, valid(hook, Map.of(), Fixtures.req("POST", "/hook", sent, JSON))[0]);
        assertEquals("plain words", valid(hook, Map.of(), Fixtures.req("POST", "/hook", "plain words",
                new Header("Content-Type", "text/plain")))[0]);
        assertEquals("no type", valid(hook, Map.of(), Fixtures.req("POST", "/hook", "no type"))[0]);
        assertEquals("", valid(hook, Map.of(), Fixtures.req("POST", "/hook", null))[0]);
        var notUtf8 = dev.manaknight.runtime.Request.of("POST", "/hook", List.of(), new byte[] {'a', (byte) 0xff}, "test");
        assertEquals(List.of(new InputError("/body", "is not UTF-8 text")), invalid(hook, Map.of(), notUtf8));
    }

    /** Beside a `body`, the JSON rules hold for the request, and the raw input is the same bytes. */
    @Test void aRawInputBesideABodyIsTheSameBytes() {
        var inputs = new java.util.ArrayList<>(create.inputs());
        inputs.add(new Route.Input(Route.Source.RAW, "payload", "payload", Type.STRING, null));
        Route both = new Route(HttpMethod.POST, "/users", 0, inputs, 0, List.of(), "app.mnk", 1);
        String sent = "{\"name\":\"Ada\", \"email\":\"a@x\",\"balance\":1,\"role\":\"admin\"}";
        Object[] args = valid(both, Map.of(), Fixtures.req("POST", "/users", sent, JSON));
        assertEquals("Ada", ((Values.RecordValue) args[0]).fields()[0]);
        assertEquals(sent, args[1]);
        assertInstanceOf(Inputs.UnsupportedMediaType.class, decoder.decode(both, Map.of(), Fixtures.req("POST", "/users", sent,
                new Header("Content-Type", "text/plain"))));
        assertEquals("/body", invalid(both, Map.of(), Fixtures.req("POST", "/users", "{", JSON)).getFirst().pointer());
    }

    @Test void bodyErrorsAreAllReportedWithPointers() {
        var errors = invalid(create, Map.of(), Fixtures.req("POST", "/users",
                "{\"name\":5,\"age\":1.5,\"balance\":\"12\",\"role\":\"boss\",\"extra\":true}", JSON));
        assertEquals(List.of(
                new InputError("/body/name", "must be a string"),
                new InputError("/body/email", "is required"),
                new InputError("/body/age", "must be an integer"),
                new InputError("/body/balance", "must be a number"),
                new InputError("/body/role", "must be one of admin, member, suspended"),
                new InputError("/body/extra", "is not a field of this type")), errors);
    }

    @Test void intMustFitIn64Bits() {
        Route r = route(HttpMethod.POST, "/n", 0, 0, body("n", Type.INT));
        assertEquals(9223372036854775807L, valid(r, Map.of(), Fixtures.req("POST", "/n", "9223372036854775807", JSON))[0]);
        assertEquals(List.of(new InputError("/body", "is out of range for Int")),
                invalid(r, Map.of(), Fixtures.req("POST", "/n", "9223372036854775808", JSON)));
        assertEquals(List.of(new InputError("/body", "must be an integer")), invalid(r, Map.of(), Fixtures.req("POST", "/n", "1e3", JSON)));
    }

    @Test void decimalsNeverGoThroughDouble() {
        Route r = route(HttpMethod.POST, "/d", 0, 0, body("d", Type.DECIMAL));
        var d = (BigDecimal) valid(r, Map.of(), Fixtures.req("POST", "/d", "0.1000000000000000000000000001", JSON))[0];
        assertEquals("0.1000000000000000000000000001", d.toPlainString());
        assertEquals(List.of(new InputError("/body", JsonDecoder.TOO_MANY_DIGITS)),
                invalid(r, Map.of(), Fixtures.req("POST", "/d", "1e999999", JSON)));
    }

    /**
     * Issue 12: a `Json` input skipped the Decimal caps: `1e200000` (8 bytes) was a 500
     * `memory-exhausted` when printed, `1e100000` 100 KB of output. The caps hold at any depth of
     * a `Json` value, at the limit and one past it, on both sides of the point.
     */
    @Test void jsonNumbersHaveTheDecimalCaps() {
        Route j = route(HttpMethod.POST, "/j", 0, 0, body("j", Type.JSON));
        for (String fits : List.of("1e999", "1e-1000", "-1e999", "1.5e-999", "9".repeat(1000)))
            assertInstanceOf(BigDecimal.class, valid(j, Map.of(), Fixtures.req("POST", "/j", fits, JSON))[0], fits);
        for (String past : List.of("1e1000", "1e-1001", "1e200000", "-1e200000", "1e-200000", "1.5e-1000"))
            assertEquals(List.of(new InputError("/body", JsonDecoder.TOO_MANY_DIGITS)),
                    invalid(j, Map.of(), Fixtures.req("POST", "/j", past, JSON)), past);
        assertEquals(List.of(new InputError("/body/a/1", JsonDecoder.TOO_MANY_DIGITS),
                        new InputError("/body/b~1c", JsonDecoder.TOO_MANY_DIGITS)),
                invalid(j, Map.of(), Fixtures.req("POST", "/j", "{\"a\":[1,1e200000],\"b/c\":-1e-5000}", JSON)));
    }

    /** Issue 12: a lone surrogate in a JSON string became `?`; it is refused in String and Json values alike. */
    @Test void loneSurrogatesAreRefused() {
        Route str = route(HttpMethod.POST, "/s", 0, 0, body("s", Type.STRING));
        Route j = route(HttpMethod.POST, "/j", 0, 0, body("j", Type.JSON));
        for (String bad : List.of("\"\\ud800\"", "\"\\udc00\"", "\"a\\ud800b\"", "\"\\udc00\\ud800\"", "\"\\ud83d\"")) {
            var errors = invalid(str, Map.of(), Fixtures.req("POST", "/s", bad, JSON));
            assertEquals("/body", errors.getFirst().pointer(), bad);
            assertTrue(errors.getFirst().detail().startsWith("has a lone surrogate (U+D"), errors.toString());
            assertEquals("/body/x/0", invalid(j, Map.of(), Fixtures.req("POST", "/j", "{\"x\":[" + bad + "]}", JSON))
                    .getFirst().pointer(), bad);
        }
        assertEquals("\ud83d\ude00", valid(str, Map.of(), Fixtures.req("POST", "/s", "\"\\ud83d\\ude00\"", JSON))[0]);
        assertEquals("/body/name", invalid(create, Map.of(), Fixtures.req("POST", "/users",
                "{\"name\":\"\\ud800\",\"email\":\"a@x\",\"balance\":1,\"role\":\"admin\"}", JSON)).getFirst().pointer());
        // in a member name, the parser itself refuses it
        var key = invalid(j, Map.of(), Fixtures.req("POST", "/j", "{\"\\ud800\":1}", JSON));
        assertTrue(key.getFirst().detail().startsWith("is not valid JSON: Broken surrogate pair"), key.toString());
    }

    /** The parser's limits in clear words, without the names of Jackson's settings. */
    @Test void parserLimitsAreSaidInPlainWords() {
        Route j = route(HttpMethod.POST, "/j", 0, 0, body("j", Type.JSON));
        String deep = "[".repeat(1001) + "]".repeat(1001);
        var nesting = invalid(j, Map.of(), Fixtures.req("POST", "/j", deep, JSON));
        assertEquals(List.of(new InputError("/body",
                "is not valid JSON: arrays and objects nest deeper than 1000 levels")), nesting);
        assertInstanceOf(Values.ListValue.class,
                valid(j, Map.of(), Fixtures.req("POST", "/j", "[".repeat(1000) + "]".repeat(1000), JSON))[0]);
        var number = invalid(j, Map.of(), Fixtures.req("POST", "/j", "1".repeat(1001), JSON));
        assertTrue(number.getFirst().detail().startsWith("is not valid JSON: a number is longer than 1000 characters"),
                number.toString());
        for (var e : List.of(nesting.getFirst(), number.getFirst()))
            assertFalse(e.detail().contains("StreamReadConstraints") || e.detail().contains("`"), e.detail());
    }

    @Test void mapsAndJsonAndLists() {
        Route r = route(HttpMethod.POST, "/m", 0, 0, body("m", new Type.MapOf(Type.listOf(Type.INT))));
        var m = (Values.MapValue) valid(r, Map.of(), Fixtures.req("POST", "/m", "{\"b\":[1,2],\"a\":[]}", JSON))[0];
        assertEquals(List.of("b", "a"), List.of(m.keys()));
        assertEquals(List.of(new InputError("/body/b/1", "must be an integer")),
                invalid(r, Map.of(), Fixtures.req("POST", "/m", "{\"b\":[1,\"x\"]}", JSON)));
        Route j = route(HttpMethod.POST, "/j", 0, 0, body("j", Type.JSON));
        var any = (Values.MapValue) valid(j, Map.of(), Fixtures.req("POST", "/j", "{\"x\":null,\"y\":[1,2.50,\"s\",true]}", JSON))[0];
        assertEquals(Values.JsonNull.NULL, any.values()[0]);
        assertEquals(new Values.ListValue(new Object[] {1L, new BigDecimal("2.50"), "s", true}), any.values()[1]);
    }

    @Test void missingOrBrokenBody() {
        assertEquals(List.of(new InputError("/body", "a JSON body is required")),
                invalid(create, Map.of(), Fixtures.req("POST", "/users", null, JSON)));
        var broken = invalid(create, Map.of(), Fixtures.req("POST", "/users", "{\"name\":\"x\"", JSON));
        assertEquals(List.of(new InputError("/body",
                "is not valid JSON: Unexpected end-of-input: expected close marker for Object at line 1, column 12")), broken);
        var stray = invalid(create, Map.of(), Fixtures.req("POST", "/users", "{\"name\":\"x\",\n}", JSON));
        assertEquals(List.of(new InputError("/body", "is not valid JSON: Unexpected character ('}' (code 125)): "
                + "was expecting double-quote to start field name at line 2, column 1")), stray);
        var dup = invalid(create, Map.of(), Fixtures.req("POST", "/users", "{\"name\":\"a\",\"name\":\"b\"}", JSON));
        assertEquals("/body", dup.getFirst().pointer());
    }

    @Test void nonJsonBodyIs415() {
        var r = decoder.decode(create, Map.of(), Fixtures.req("POST", "/users", "name=x", new Header("Content-Type", "application/x-www-form-urlencoded")));
        assertEquals("application/x-www-form-urlencoded", assertInstanceOf(Inputs.UnsupportedMediaType.class, r).contentType());
        assertInstanceOf(Inputs.UnsupportedMediaType.class, decoder.decode(create, Map.of(), Fixtures.req("POST", "/users", "{}")));
        assertInstanceOf(Inputs.Invalid.class, decoder.decode(create, Map.of(),
                Fixtures.req("POST", "/users", "{}", new Header("Content-Type", "application/merge-patch+json"))));
    }
}
