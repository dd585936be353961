package dev.manaknight.lang.bytecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.model.Type;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden listings under src/test/resources/golden/disasm. They are rewritten only on purpose:
 * {@code mvn -pl lang test -Dgolden.update=true}.
 */
class DisassemblerTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/disasm");

    private static void golden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name + ".expected");
        if ("true".equals(System.getProperty("golden.update"))) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(file), file + " is missing; run with -Dgolden.update=true to create it");
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "listing differs from " + file);
    }

    @Test
    void seedHandler() throws Exception {
        // through the file format, as `manaknight disasm app.mkb` sees it
        Module m = ModuleReader.read(ModuleWriter.toBytes(SampleModules.seed()));
        golden("seed-handler", Disassembler.disassemble(m, SampleModules::source));
    }

    @Test
    void kitchenSink() throws Exception {
        golden("kitchen-sink", Disassembler.disassemble(SampleModules.kitchenSink(), name -> null));
    }

    @Test
    void everyShape() throws Exception {
        golden("every-shape", Disassembler.disassemble(SampleModules.everyShape(), name -> null));
    }

    @Test
    void seedListingHasTheExpectedLines() {
        String listing = Disassembler.disassemble(SampleModules.seed(), SampleModules::source);
        assertTrue(listing.contains("  E0 db.findUser(id: Int): Option<User> \"SELECT id, name, email FROM users WHERE id = :id\"\n"), listing);
        assertTrue(listing.contains("  GET /users/:id -> F0 uses { db } inputs: path id: Int  ; users.mnk:3\n"), listing);
        assertTrue(listing.contains("  T0 record User { id: Int, name: String, email: String }\n"), listing);
        assertTrue(listing.contains("  0003  EFFECT        E0  ; db.findUser\n"), listing);
        assertTrue(listing.contains("  ; users.mnk:6 |   match db.findUser(id) {\n"), listing);
        assertTrue(listing.contains("  ; names.mnk:2\n"), "a file the lookup cannot find shows no text: " + listing);
    }

    @Test
    void unverifiedCodeStillPrints() {
        // bad opcode, out-of-range indices, a truncated instruction: shown, not thrown
        byte[] code = {(byte) 0xF0, Opcode.CALL.code(), 0, 9, Opcode.CONST.code(), 0, 7, Opcode.GET_FIELD.code(), 0, 5, 1,
                Opcode.SMALL_INT.code(), 0};
        Module m = new Module(List.of(), List.of(), List.of(),
                List.of(new Function("bad", null, List.of(), Type.INT, 0, 0, 0, code, new int[] {0, 1})),
                List.of(), List.of(), List.of());
        String listing = Disassembler.disassemble(m, null);
        assertTrue(listing.contains("  0000  .byte 0xF0  ; not an opcode\n"), listing);
        assertTrue(listing.contains("  0001  CALL          F9  ; ?\n"), listing);
        assertTrue(listing.contains("  0004  CONST         #7  ; ?\n"), listing);
        assertTrue(listing.contains("  0007  GET_FIELD     T5 1  ; ?.?\n"), listing);
        assertTrue(listing.contains("  0011  .byte 0x04  ; truncated SMALL_INT\n"), listing);
        assertTrue(listing.contains("  0012  NOP\n"), "decoding goes on after a bad byte: " + listing);
        assertTrue(listing.contains("  ; ?:1\n"), listing);
    }

    @Test
    void longConstantsAreCutInlineButWholeInTheTable() {
        String text = "x".repeat(100);
        Module m = new Module(List.of(new Constant.StrConst(text)), List.of(), List.of(),
                List.of(new Function("f", "f.mnk", List.of(), Type.STRING, 0, 1, 0,
                        new CodeBuilder().op(Opcode.CONST, 0).op(Opcode.RET_R).code(), new int[0])),
                List.of(), List.of(), List.of());
        String listing = Disassembler.disassemble(m, null);
        assertTrue(listing.contains("  #0 str \"" + text + "\"\n"), listing);
        assertTrue(listing.contains("CONST         #0  ; str \"" + "x".repeat(40) + "…\"\n"), listing);
    }
}
