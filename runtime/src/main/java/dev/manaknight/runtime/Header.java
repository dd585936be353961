package dev.manaknight.runtime;

/** One HTTP header field as it travels between a transport and the core. */
public record Header(String name, String value) {}
