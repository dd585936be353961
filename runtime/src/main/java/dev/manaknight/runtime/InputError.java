package dev.manaknight.runtime;

/** One invalid input: where (`/path/id`, `/query/limit`, `/header/Idempotency-Key`, `/body/email`) and why. */
public record InputError(String pointer, String detail) {}
