package dev.manaknight.lang.vm;

import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.verify.Verifier;
import dev.manaknight.lang.verify.VerifyException;

/**
 * A verified module in the form the interpreter runs: constants split into lanes, functions in
 * arrays. Immutable and shared by every request; building one is the per-deploy cost, not a
 * per-request one.
 */
public final class Program {
    private final Module module;

    private Program(Module module) {
        this.module = module;
    }

    /** Verifies, then prepares. */
    public static Program load(Module module) throws VerifyException {
        var errors = Verifier.verify(module);
        if (!errors.isEmpty()) throw new VerifyException(errors);
        return new Program(module);
    }

    /** Prepares without verifying: only for modules this process just compiled or built by hand in tests. */
    public static Program trusted(Module module) {
        return new Program(module);
    }

    public Module module() { return module; }
}
