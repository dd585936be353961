package dev.manaknight.lang.verify;

/**
 * One problem the verifier found.
 *
 * @param function the function's index, or -1 for module-level problems
 * @param pc       the instruction offset, or -1
 */
public record VerifyError(int function, int pc, String message) {
    @Override public String toString() {
        return (function >= 0 ? "F" + function + (pc >= 0 ? "@" + pc : "") + ": " : "") + message;
    }
}
