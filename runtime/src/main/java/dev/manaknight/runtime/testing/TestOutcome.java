package dev.manaknight.runtime.testing;

import java.util.List;

/** One `test` block's result: passed, or its failures: each failed `expect` (`file:line: expect …`), then a run's error. */
public record TestOutcome(String name, boolean passed, List<String> failures) {}
