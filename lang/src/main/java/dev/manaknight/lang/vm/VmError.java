package dev.manaknight.lang.vm;

import java.util.List;

/**
 * Why a VM run failed, as data: the kind (which names the problem type), a message, and the
 * Manaknight stack, innermost frame first.
 */
public record VmError(Kind kind, String message, List<StackFrame> stack) {
    public VmError {
        stack = List.copyOf(stack);
    }

    public enum Kind {
        OVERFLOW("integer-overflow"),
        DIVISION_BY_ZERO("division-by-zero"),
        INDEX_OUT_OF_RANGE("index-out-of-range"),
        BAD_VALUE("bad-value"),
        FUEL_EXHAUSTED("fuel-exhausted"),
        MEMORY_EXHAUSTED("memory-exhausted"),
        CPU_EXHAUSTED("cpu-exhausted"),
        TIMEOUT("timeout"),
        STACK_OVERFLOW("stack-overflow"),
        CAPABILITY_DENIED("capability-denied"),
        EFFECT_FAILED("effect-failed"),
        /** An outbound call the configuration does not allow: a host not in `http.allowed_hosts`, a private address. */
        OUTBOUND_REFUSED("outbound-refused"),
        EXPLICIT("failure"),
        INTERNAL("internal");

        /** The slug used in problem-document `type` URIs and metrics. */
        public final String slug;

        Kind(String slug) { this.slug = slug; }
    }

    public record StackFrame(String function, String file, int line) {
        @Override public String toString() { return "at " + function + " (" + file + ":" + line + ")"; }
    }

    /** `kind: message` then one `  at fn (file:line)` line per frame. */
    public String render() {
        var sb = new StringBuilder(kind.slug).append(": ").append(message);
        for (StackFrame f : stack) sb.append("\n  ").append(f);
        return sb.toString();
    }
}
