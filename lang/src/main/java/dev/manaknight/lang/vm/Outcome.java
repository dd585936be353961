package dev.manaknight.lang.vm;

/** How a VM run ended. */
public sealed interface Outcome {
    /** A function (not a handler) returned a value (boxed). */
    record Returned(Object value) implements Outcome {}

    /** A handler executed `respond`. */
    record Responded(Response response) implements Outcome {}

    /** A trap, an exhausted limit or a failed effect ended the run. */
    record Failed(VmError error) implements Outcome {}
}
