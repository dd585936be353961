package dev.manaknight.lang.verify;

/**
 * One problem the verifier found. The message names everything itself (function by index and
 * name, pc, opcode), so it is also the text shown to people.
 *
 * @param function the function's index, or -1 for module-level problems
 * @param pc       the instruction offset, or -1
 */
public record VerifyError(int function, int pc, String message) {
    @Override public String toString() {
        return message;
    }
}
