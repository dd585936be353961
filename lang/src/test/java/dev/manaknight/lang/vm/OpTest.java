package dev.manaknight.lang.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.manaknight.lang.bytecode.Opcode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/** The run loop's int opcode constants must be exactly the opcode table's byte values. */
class OpTest {
    @Test
    void everyOpcodeHasItsConstantAndNothingElse() throws ReflectiveOperationException {
        int constants = 0;
        for (Field f : Op.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) continue;
            constants++;
            assertEquals(Opcode.valueOf(f.getName()).code(), (byte) f.getInt(null), f.getName());
        }
        assertEquals(Opcode.values().length, constants);
    }
}
