package dev.manaknight.lang.bytecode;

import static dev.manaknight.lang.bytecode.ModuleAssert.assertSameModule;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.model.Type;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Write then read gives back the same module, for every shape the format holds. */
class ModuleRoundTripTest {
    @Test
    void seedRoundTrips() throws Exception {
        Module m = SampleModules.seed();
        assertSameModule(m, ModuleReader.read(ModuleWriter.toBytes(m)));
    }

    @Test
    void kitchenSinkRoundTrips() throws Exception {
        Module m = SampleModules.kitchenSink();
        assertSameModule(m, ModuleReader.read(ModuleWriter.toBytes(m)));
    }

    @Test
    void everyShapeRoundTripsAndIsStable() throws Exception {
        Module m = SampleModules.everyShape();
        byte[] bytes = ModuleWriter.toBytes(m);
        Module back = ModuleReader.read(new ByteArrayInputStream(bytes));
        assertSameModule(m, back);
        assertArrayEquals(bytes, ModuleWriter.toBytes(back), "writing what was read gives the same bytes");
        // Raw NaN payloads and the scale of decimals survive.
        assertEquals(0x7FF8_0000_0000_0123L,
                Double.doubleToRawLongBits(((Constant.FloatConst) back.constants().get(5)).value()));
        assertEquals(4, ((Constant.DecConst) back.constants().get(8)).value().scale());
    }

    @Test
    void emptyModuleIsHeaderAndEightZeroCounts() throws Exception {
        Module empty = new Module(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        byte[] bytes = ModuleWriter.toBytes(empty);
        assertEquals("4d4b4201" + String.format("%04x", Module.VERSION) + "00000000".repeat(8), HexFormat.of().formatHex(bytes));
        assertSameModule(empty, ModuleReader.read(bytes));
    }

    /** Issue 15: the config table, last: a key's name, type and optional default survive; a Secret has none. */
    @Test
    void configKeysRoundTrip() throws Exception {
        var settings = List.of(new Setting("pageSize", Type.INT, new Constant.IntConst(20)),
                new Setting("price", Type.DECIMAL, new Constant.DecConst(new java.math.BigDecimal("12.50"))),
                new Setting("adminKey", Type.SECRET, null));
        Module m = new Module(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), settings);
        byte[] bytes = ModuleWriter.toBytes(m);
        assertSameModule(m, ModuleReader.read(bytes));
        assertEquals(bytes.length, ModuleWriter.toBytes(ModuleReader.read(bytes)).length);
        // the last entry: "adminKey", tag 15 (Secret), absent default
        String tail = HexFormat.of().formatHex(bytes, bytes.length - 14, bytes.length);
        assertEquals("00000008" + HexFormat.of().formatHex("adminKey".getBytes()) + "0f" + "00", tail);
        // a truncated table is refused with the entry named
        var e = assertThrows(ModuleFormatException.class,
                () -> ModuleReader.read(java.util.Arrays.copyOf(bytes, bytes.length - 1)));
        assertTrue(e.getMessage().contains("config key 2 (adminKey)"), e.getMessage());
    }

    @Test
    void stringsAreStandardUtf8NotModified() {
        // U+0000 is one zero byte (modified UTF-8 would write C0 80); U+1F980 is four bytes (not a surrogate pair of six).
        Module m = new Module(List.of(new Constant.StrConst("\u0000\uD83E\uDD80")), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of());
        byte[] bytes = ModuleWriter.toBytes(m);
        ByteBuffer b = ByteBuffer.wrap(bytes, 10, bytes.length - 10);
        assertEquals(3, b.get(), "string tag");
        assertEquals(5, b.getInt(), "byte length");
        assertEquals("00f09fa680", HexFormat.of().formatHex(bytes, 15, 20));
    }

    @Test
    void writerRefusesALoneSurrogate() {
        Module m = new Module(List.of(new Constant.StrConst("bad \uD800")), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of());
        var e = assertThrows(IllegalArgumentException.class, () -> ModuleWriter.toBytes(m));
        assertTrue(e.getMessage().contains("lone surrogate"), e.getMessage());
    }

    @Test
    void typesOfEveryConstructorRoundTrip() throws Exception {
        List<Type> types = List.of(Type.INT, Type.DECIMAL, Type.FLOAT, Type.BOOL, Type.STRING, Type.UNIT, Type.JSON,
                new Type.ListOf(Type.INT), new Type.MapOf(Type.STRING), new Type.OptionOf(Type.BOOL),
                new Type.ResultOf(new Type.Named("A"), new Type.ListOf(new Type.MapOf(Type.JSON))), new Type.Named("ünï"),
                Type.INSTANT, Type.DURATION, new Type.OptionOf(Type.INSTANT)); // issue 15: tags 13 and 14
        Module m = new Module(List.of(), List.of(), types, List.of(), List.of(), List.of(), List.of());
        assertEquals(types, ModuleReader.read(ModuleWriter.toBytes(m)).typeRefs());
    }
}
