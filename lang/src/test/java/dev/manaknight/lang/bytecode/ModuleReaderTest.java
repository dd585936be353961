package dev.manaknight.lang.bytecode;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each malformation the reader must refuse, with a message naming what and where. */
class ModuleReaderTest {
    /** Raw bytes for hand-made files. */
    private static final class Raw {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);

        Raw header() throws IOException { out.writeInt(Module.MAGIC); out.writeShort(Module.VERSION); return this; }
        Raw u8(int v) throws IOException { out.writeByte(v); return this; }
        Raw u16(int v) throws IOException { out.writeShort(v); return this; }
        Raw u32(int v) throws IOException { out.writeInt(v); return this; }
        Raw u64(long v) throws IOException { out.writeLong(v); return this; }
        /** The header, then `sections` empty sections before the one a test writes. */
        Raw zerosAfterHeader(int sections) throws IOException { return header().zeros(sections); }
        Raw zeros(int counts) throws IOException { for (int i = 0; i < counts; i++) out.writeInt(0); return this; }
        Raw str(byte... utf8) throws IOException { out.writeInt(utf8.length); out.write(utf8); return this; }
        /** Filler, so that counts pass their remaining-bytes check and the malformation under test is reached. */
        Raw pad() throws IOException { out.write(new byte[64]); return this; }
        byte[] done() { return bytes.toByteArray(); }
    }

    private static void refused(byte[] bytes, String... fragments) {
        var e = assertThrows(ModuleFormatException.class, () -> ModuleReader.read(bytes));
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "expected `" + f + "` in: " + e.getMessage());
    }

    @Test
    void badMagic() throws IOException {
        refused(new Raw().u32(0xCAFEBABE).u16(1).zeros(7).done(), "at byte 0", "not a Manaknight module", "0xCAFEBABE");
    }

    @Test
    void unsupportedVersion() throws IOException {
        // issue 13: version 1 modules (kind-only signatures, PAYLOAD without a variant) are refused, not misread
        refused(new Raw().u32(Module.MAGIC).u16(1).zeros(7).done(), "at byte 4", "unsupported format version 1",
                "this reader knows version " + Module.VERSION);
        refused(new Raw().u32(Module.MAGIC).u16(Module.VERSION + 1).zeros(7).done(), "at byte 4",
                "unsupported format version " + (Module.VERSION + 1));
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] full = ModuleWriter.toBytes(SampleModules.seed());
        for (int n = 0; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            assertThrows(ModuleFormatException.class, () -> ModuleReader.read(cut), "cut at " + n);
        }
        refused(Arrays.copyOf(full, 3), "at byte 0", "truncated", "magic number");
    }

    @Test
    void trailingBytes() {
        byte[] full = ModuleWriter.toBytes(SampleModules.seed());
        byte[] longer = Arrays.copyOf(full, full.length + 2);
        refused(longer, "at byte " + full.length, "2 trailing bytes");
    }

    @Test
    void unknownConstantTag() throws IOException {
        refused(new Raw().header().u32(1).u8(9).u64(0).zeros(6).done(), "at byte 10 in constant 0", "unknown constant tag 9");
    }

    @Test
    void hugeStringLengthDoesNotAllocate() throws IOException {
        refused(new Raw().header().u32(1).u8(3).u32(0x8000_0000).zeros(6).done(), "at byte 11", "String constant length 2147483648");
        refused(new Raw().header().u32(1).u8(3).u32(0x7FFF_FFFF).zeros(6).done(), "String constant length 2147483647 needs at least");
    }

    @Test
    void countsAreCheckedAgainstLimitsAndRemainingBytes() throws IOException {
        refused(new Raw().header().u32(-1).done(), "constants 4294967295 exceeds the limit 65536");
        refused(new Raw().header().u32(60_000).zeros(6).done(), "at byte 6 in constant table", "constants 60000 needs at least 300000 bytes");
    }

    @Test
    void invalidUtf8() throws IOException {
        refused(new Raw().header().u32(1).u8(3).str((byte) 0xC3, (byte) 0x28).zeros(6).done(), "at byte 15", "not valid UTF-8");
        // Java's modified UTF-8 spelling of U+0000 is not UTF-8.
        refused(new Raw().header().u32(1).u8(3).str((byte) 0xC0, (byte) 0x80).zeros(6).done(), "not valid UTF-8");
        // A surrogate encoded on its own (CESU-8) is not UTF-8 either.
        refused(new Raw().header().u32(1).u8(3).str((byte) 0xED, (byte) 0xA0, (byte) 0x80).zeros(6).done(), "not valid UTF-8");
    }

    @Test
    void decimalBounds() throws IOException {
        refused(new Raw().header().u32(1).u8(4).u32(0).u32(0).zeros(6).done(), "Decimal unscaled length 0");
        refused(new Raw().header().u32(1).u8(4).u32(1).u8(5).u32(Integer.MIN_VALUE).zeros(6).done(),
                "at byte 16", "Decimal scale -2147483648");
    }

    @Test
    void unknownTypeTagAndTooDeepTypes() throws IOException {
        refused(new Raw().zerosAfterHeader(2).u32(1).u8(99).zeros(4).done(), "at byte 18 in type reference J0", "unknown type tag 99");
        Raw deep = new Raw().zerosAfterHeader(2).u32(1);
        for (int i = 0; i < 40; i++) deep.u8(8);
        deep.u8(1).zeros(4);
        refused(deep.done(), "nested deeper than Limits.MAX_TYPE_DEPTH");
    }

    @Test
    void unknownTypeTableTag() throws IOException {
        refused(new Raw().zerosAfterHeader(1).u32(1).u8(3).str((byte) 'X').u32(0).zeros(5).done(),
                "at byte 14 in type T0", "unknown type-table tag 3");
    }

    @Test
    void badSignatureAndCodeLength() throws IOException {
        // one function: name "f", no file, 1 parameter of type tag 77
        refused(new Raw().zerosAfterHeader(3).u32(1).str((byte) 'f').u8(0).u32(1).u8(77).pad().done(),
                "at byte 32 in function F0 (f)", "unknown type tag 77");
        refused(new Raw().zerosAfterHeader(3).u32(1).str((byte) 'f').u8(0).u32(0).u8(6).u16(1).u16(1).u32(0)
                .u32(Limits.MAX_CODE + 1).pad().done(), "code length 65536 exceeds the limit 65535");
        refused(new Raw().zerosAfterHeader(3).u32(1).str((byte) 'f').u8(0).u32(Limits.MAX_PARAMS + 1).pad().done(),
                "parameters 65 exceeds the limit 64");
    }

    @Test
    void unknownEnumCodes() throws IOException {
        // one route with method 9
        refused(new Raw().zerosAfterHeader(5).u32(1).u8(9).pad().done(), "at byte 30 in route 0", "HTTP method: code 9 names none");
        // one effect with capability 6
        refused(new Raw().zerosAfterHeader(4).u32(1).u8(6).pad().done(), "at byte 26 in effect E0",
                "capability: code 6 names none");
    }

    @Test
    void badPresenceByte() throws IOException {
        // one test: name "t", function 0, capabilities 0, file presence 2
        refused(new Raw().zerosAfterHeader(6).u32(1).str((byte) 't').u32(0).u32(0).u8(2).u32(0).done(),
                "test 0 (\"t\")", "presence byte 2 is neither 0 nor 1");
    }

    @Test
    void tooLargeAFileIsRefusedBeforeParsing() {
        var e = assertThrows(ModuleFormatException.class, () -> ModuleReader.read(new java.io.InputStream() {
            long left = Limits.MAX_MODULE_BYTES + 10L;
            @Override public int read() { return left-- > 0 ? 0 : -1; }
            @Override public int read(byte[] b, int off, int len) {
                if (left <= 0) return -1;
                int n = (int) Math.min(len, left);
                left -= n;
                return n;
            }
        }));
        assertTrue(e.getMessage().contains("larger than Limits.MAX_MODULE_BYTES"), e.getMessage());
    }

    @Test
    void readerAcceptsWhatTheVerifierWouldRefuse() throws Exception {
        // Format only: a function whose code is garbage and whose indices are nonsense is still well-formed.
        Module m = new Module(List.of(), List.of(), List.of(), List.of(new Function("f", null, List.of(), dev.manaknight.lang.model.Type.INT,
                0, 0, -1, new byte[] {(byte) 0xFF, 1, 2}, new int[] {9, -3})), List.of(), List.of(), List.of());
        ModuleAssert.assertSameModule(m, ModuleReader.read(ModuleWriter.toBytes(m)));
    }
}
