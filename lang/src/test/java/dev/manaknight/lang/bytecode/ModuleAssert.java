package dev.manaknight.lang.bytecode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Module equality for tests: {@link Function} holds arrays, which records compare by identity. */
public final class ModuleAssert {
    private ModuleAssert() {}

    public static void assertSameModule(Module expected, Module actual) {
        assertEquals(expected.constants(), actual.constants(), "constants");
        assertEquals(expected.types(), actual.types(), "types");
        assertEquals(expected.typeRefs(), actual.typeRefs(), "typeRefs");
        assertEquals(expected.effects(), actual.effects(), "effects");
        assertEquals(expected.routes(), actual.routes(), "routes");
        assertEquals(expected.tests(), actual.tests(), "tests");
        assertEquals(expected.settings(), actual.settings(), "settings");
        assertEquals(expected.functions().size(), actual.functions().size(), "function count");
        for (int i = 0; i < expected.functions().size(); i++) {
            Function e = expected.functions().get(i), a = actual.functions().get(i);
            String where = "F" + i + " ";
            assertEquals(e.name(), a.name(), where + "name");
            assertEquals(e.file(), a.file(), where + "file");
            assertEquals(e.params(), a.params(), where + "params");
            assertEquals(e.result(), a.result(), where + "result");
            assertEquals(e.locals(), a.locals(), where + "locals");
            assertEquals(e.maxStack(), a.maxStack(), where + "maxStack");
            assertEquals(e.capabilities(), a.capabilities(), where + "capabilities");
            assertArrayEquals(e.code(), a.code(), where + "code");
            assertArrayEquals(e.lines(), a.lines(), where + "lines");
        }
    }
}
