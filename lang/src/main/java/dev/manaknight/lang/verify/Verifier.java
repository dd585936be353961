package dev.manaknight.lang.verify;

import dev.manaknight.lang.bytecode.Module;
import java.util.List;

/** Checks a module before anything runs and returns every problem it finds (see verifier.md). */
public final class Verifier {
    private Verifier() {}

    public static List<VerifyError> verify(Module module) {
        throw new UnsupportedOperationException("TODO(bytecode helper)");
    }
}
