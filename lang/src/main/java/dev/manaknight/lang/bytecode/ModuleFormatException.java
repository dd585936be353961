package dev.manaknight.lang.bytecode;

/** A `.mkb` file that is not a well-formed module: wrong magic, version, truncation, bad lengths. */
public final class ModuleFormatException extends Exception {
    public ModuleFormatException(String message) {
        super("mkb: " + message);
    }
}
