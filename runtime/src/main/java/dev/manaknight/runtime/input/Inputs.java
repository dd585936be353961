package dev.manaknight.runtime.input;

import dev.manaknight.runtime.InputError;
import java.util.List;

/** The handler's arguments, or why there are none. */
public sealed interface Inputs {
    /** One boxed VM value per route input, in the handler's parameter order. */
    record Valid(Object[] args) implements Inputs {}

    /** 400: every error found. */
    record Invalid(List<InputError> errors) implements Inputs {}

    /** 415: a body route got something other than JSON. */
    record UnsupportedMediaType(String contentType) implements Inputs {}
}
