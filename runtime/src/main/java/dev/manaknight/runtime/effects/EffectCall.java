package dev.manaknight.runtime.effects;

import java.util.List;

/**
 * One effect call as recorded for replay: the operation, its arguments, and its result or
 * failure (exactly one of them is non-null).
 */
public record EffectCall(String op, List<Object> args, Object result, String failure) {}
