package dev.manaknight.lang.vm;

import java.util.Objects;

/**
 * A `Secret` value: configured text the VM never turns into text. The compiler and the verifier
 * keep it out of every place text comes from (interpolation, `toString`, `+`, `==`, JSON,
 * responses, logs, containers); this class is the last line: it prints as `Secret(…)`, and only
 * this package reads the text, for the builtins that use it (constant-time comparison, HMAC key).
 */
public final class Secret {
    private final String text;

    private Secret(String text) {
        this.text = text;
    }

    public static Secret of(String text) {
        return new Secret(Objects.requireNonNull(text));
    }

    /** The text, for this package's builtins only. */
    String text() { return text; }

    @Override public String toString() { return "Secret(…)"; }
}
