package dev.manaknight.lang.verify;

import java.util.List;

/** A module was refused by the verifier; every problem found is listed. */
public final class VerifyException extends Exception {
    private final List<VerifyError> errors;

    public VerifyException(List<VerifyError> errors) {
        super("module failed verification: " + errors.size() + " problem" + (errors.size() == 1 ? "" : "s")
                + (errors.isEmpty() ? "" : "; first: " + errors.getFirst()));
        this.errors = List.copyOf(errors);
    }

    public List<VerifyError> errors() { return errors; }
}
