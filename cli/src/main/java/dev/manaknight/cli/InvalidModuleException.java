package dev.manaknight.cli;

import dev.manaknight.lang.bytecode.ModuleFormatException;
import dev.manaknight.lang.verify.VerifyError;
import dev.manaknight.lang.verify.VerifyException;
import java.nio.file.Path;

/** A module file that is malformed or that the verifier refuses; the message names the file. */
public final class InvalidModuleException extends Exception {
    private final Path path;

    public InvalidModuleException(Path path, ModuleFormatException cause) {
        super(path + ": not a valid module: " + cause.getMessage(), cause);
        this.path = path;
    }

    public InvalidModuleException(Path path, VerifyException cause) {
        super(verifyMessage(path, cause), cause);
        this.path = path;
    }

    public Path path() { return path; }

    private static String verifyMessage(Path path, VerifyException cause) {
        var out = new StringBuilder(path + ": the module failed verification");
        for (VerifyError e : cause.errors()) out.append("\n  ").append(e);
        return out.toString();
    }
}
