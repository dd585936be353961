package dev.manaknight.runtime.testing;

import java.util.List;

/** One `test` block's result: passed, or the failed expectations' source texts / the failure. */
public record TestOutcome(String name, boolean passed, List<String> failures) {}
