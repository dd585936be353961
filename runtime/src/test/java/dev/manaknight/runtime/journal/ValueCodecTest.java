package dev.manaknight.runtime.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.manaknight.lang.vm.Values;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: every kind of VM value comes back from the journal as the very same value — a
 * Decimal's scale, a Float's bits (-0.0, NaN), an Instant's nanoseconds, a map's order — so that
 * replay answers effects exactly as they were answered.
 */
class ValueCodecTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static String encode(Object v) throws Exception {
        var w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            ValueCodec.write(g, v);
        }
        return w.toString();
    }

    static Object decode(String json) throws Exception { return ValueCodec.read(MAPPER.readTree(json)); }

    /** One of each kind, nested where a kind holds others. */
    static List<Object> everyKind() {
        var user = new Values.RecordValue(0, "User", new String[] {"id", "name", "balance"},
                new Object[] {7L, "Ada \"Lovelace\"\n\u00e9\u2603\uD83D\uDE00", new BigDecimal("12.50")});
        var suspended = new Values.EnumValue(2, 2, "suspended", new Object[] {"too many tries"});
        return List.of(Values.Unit.UNIT, Values.JsonNull.NULL, Values.None.NONE, new Values.Some(1L), new Values.Ok("done"),
                new Values.Err(suspended), Values.ListValue.EMPTY, new Values.ListValue(new Object[] {1L, true,
                        new Values.ListValue(new Object[] {"x"})}), Values.MapValue.EMPTY,
                new Values.MapValue(new String[] {"z", "a"}, new Object[] {Values.JsonNull.NULL, 2.5}),
                user, new Values.EnumValue(2, 0, "admin", new Object[0]), suspended,
                Long.MIN_VALUE, Long.MAX_VALUE, 0L, true, false, "", "plain",
                0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, 0.1,
                new BigDecimal("2.50"), new BigDecimal("2.5"), new BigDecimal("1E+3"), new BigDecimal("-0.000"),
                new BigDecimal("123456789012345678901234567890.123456789"),
                Instant.parse("2026-01-02T03:04:05.123456789Z"), Instant.EPOCH, Duration.ofMillis(1500), Duration.ofNanos(-1),
                new Values.Some(new Values.Some(Values.None.NONE)));
    }

    @Test void everyKindComesBackTheSame() throws Exception {
        for (Object v : everyKind()) {
            String json = encode(v);
            Object back = decode(json);
            assertEquals(v.getClass(), back.getClass(), json);
            assertEquals(json, encode(back), "encoded again: " + json); // the scale, the bits, the order
            if (!(v instanceof Double d && d.isNaN())) assertTrue(Values.equal(v, back), json);
        }
    }

    @Test void decimalsKeepTheirScaleAndFloatsTheirBits() throws Exception {
        assertEquals(2, ((BigDecimal) decode(encode(new BigDecimal("2.50")))).scale());
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) decode(encode(-0.0))));
        assertEquals("[\"d\",\"2.50\"]", encode(new BigDecimal("2.50")));
        assertEquals("[\"r\",0,\"P\",[\"x\"],[[\"d\",\"1.0\"]]]",
                encode(new Values.RecordValue(0, "P", new String[] {"x"}, new Object[] {new BigDecimal("1.0")})));
    }

    @Test void plainJsonIsStringIntAndBoolOnly() throws Exception {
        assertEquals("\"a\"", encode("a"));
        assertEquals("12", encode(12L));
        assertEquals("true", encode(true));
        assertEquals(12L, decode("12"));
        assertThrows(IllegalArgumentException.class, () -> decode("1.5")); // a Float is always tagged
        assertThrows(IllegalArgumentException.class, () -> decode("[\"q\", 1]"));
        assertThrows(IllegalArgumentException.class, () -> decode("{}"));
    }

    @Test void aValueOfNoVmKindIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> encode(new Object()));
    }
}
