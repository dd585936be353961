package dev.manaknight.lang.bytecode;

/** A `test "name" { … }` block: a function of no parameters run by `manaknight test`. */
public record TestCase(String name, int function, int capabilities, String file, int line) {}
