package dev.manaknight.runtime.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.runtime.Fixtures;
import dev.manaknight.runtime.InputError;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class JsonEncoderTest {
    private final TypeTable types = new TypeTable(Fixtures.users());
    private final JsonEncoder enc = new JsonEncoder(types);

    private String json(Type t, Object v) { return new String(enc.encode(t, v), StandardCharsets.UTF_8); }

    private static Values.RecordValue user(long id, String name, String email) {
        return new Values.RecordValue(0, "User", new String[] {"id", "name", "email"}, new Object[] {id, name, email});
    }

    @Test void recordsInDeclarationOrder() {
        assertEquals("{\"id\":1,\"name\":\"Ada\",\"email\":\"a@x\"}", json(Fixtures.USER, user(1, "Ada", "a@x")));
    }

    @Test void decimalsArePlainAndExact() {
        assertEquals("12.50", json(Type.DECIMAL, new BigDecimal("12.50")));
        assertEquals("1000", json(Type.DECIMAL, new BigDecimal("1E+3")));
        assertEquals("0.0000001", json(Type.DECIMAL, new BigDecimal("1E-7")));
        assertEquals("0.1000000000000000000000000001", json(Type.DECIMAL, new BigDecimal("0.1000000000000000000000000001")));
    }

    @Test void optionsResultsEnumsAndCollections() {
        assertEquals("null", json(Type.optionOf(Type.INT), Values.None.NONE));
        assertEquals("5", json(Type.optionOf(Type.INT), new Values.Some(5L)));
        assertEquals("{\"ok\":true}", json(new Type.ResultOf(Type.BOOL, Type.STRING), new Values.Ok(true)));
        assertEquals("{\"err\":\"no\"}", json(new Type.ResultOf(Type.BOOL, Type.STRING), new Values.Err("no")));
        assertEquals("\"green\"", json(Fixtures.COLOR, new Values.EnumValue(3, 1, "green", new Object[0])));
        assertEquals("{\"type\":\"admin\"}", json(Fixtures.ROLE, new Values.EnumValue(2, 0, "admin", new Object[0])));
        assertEquals("{\"type\":\"suspended\",\"reason\":\"late\"}",
                json(Fixtures.ROLE, new Values.EnumValue(2, 2, "suspended", new Object[] {"late"})));
        assertEquals("[1,2]", json(Type.listOf(Type.INT), new Values.ListValue(new Object[] {1L, 2L})));
        assertEquals("{\"z\":1.5,\"a\":null}", json(new Type.MapOf(Type.FLOAT),
                new Values.MapValue(new String[] {"z", "a"}, new Object[] {1.5, Double.NaN})));
        assertEquals("{\"k\":[null,\"s\",2.50]}", json(Type.JSON, new Values.MapValue(new String[] {"k"},
                new Object[] {new Values.ListValue(new Object[] {Values.JsonNull.NULL, "s", new BigDecimal("2.50")})})));
    }

    @Test void decodeReadsBackWhatEncodeWrites() throws Exception {
        var dec = new JsonDecoder(types);
        Type t = Type.listOf(Fixtures.ROLE);
        var v = new Values.ListValue(new Object[] {new Values.EnumValue(2, 2, "suspended", new Object[] {"x"}),
                new Values.EnumValue(2, 1, "member", new Object[0])});
        byte[] bytes = enc.encode(t, v);
        var errors = new ArrayList<InputError>();
        assertEquals(v, dec.decode(JsonDecoder.parse(bytes), t, "/body", errors));
        assertEquals(0, errors.size());
    }

    /** Issue 15: only a `Patch<T>` tells a `null` from a field left out; an `Option<Option<T>>` reads both as none. */
    @Test void aPatchTellsAbsentNullAndAValueApart() throws Exception {
        var dec = new JsonDecoder(types);
        var errors = new ArrayList<InputError>();
        Type patch = new Type.PatchOf(Type.INT);
        assertEquals(Values.None.NONE, dec.decode(null, patch, "/body/n", errors));
        assertEquals(new Values.Some(Values.None.NONE), dec.decode(JsonDecoder.parse("null".getBytes()), patch, "/body/n", errors));
        assertEquals(new Values.Some(new Values.Some(4L)), dec.decode(JsonDecoder.parse("4".getBytes()), patch, "/body/n", errors));
        assertEquals(0, errors.size());
        dec.decode(JsonDecoder.parse("\"4\"".getBytes()), patch, "/body/n", errors);
        assertEquals("/body/n", errors.getFirst().pointer());
        Type nested = Type.optionOf(Type.optionOf(Type.INT));
        assertEquals(Values.None.NONE, dec.decode(JsonDecoder.parse("null".getBytes()), nested, "/body/n", new ArrayList<>()));
        assertEquals("null", json(patch, new Values.Some(Values.None.NONE)));
        assertEquals("null", json(patch, Values.None.NONE));
        assertEquals("4", json(patch, new Values.Some(new Values.Some(4L))));
    }
}
