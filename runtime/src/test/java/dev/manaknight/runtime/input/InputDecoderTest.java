package dev.manaknight.runtime.input;

import static dev.manaknight.runtime.Fixtures.body;
import static dev.manaknight.runtime.Fixtures.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.types.HttpMethod;
import dev.manaknight.lang.types.Type;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.runtime.Fixtures;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.InputError;
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
        assertEquals(List.of(new InputError("/body", "has too many digits")),
                invalid(r, Map.of(), Fixtures.req("POST", "/d", "1e999999", JSON)));
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
