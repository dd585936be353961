package dev.manaknight.lang.regex;

import java.util.List;

/** A parsed pattern, before it is compiled to {@link Regex}'s instructions. */
sealed interface Node {
    /** One code point. */
    record Lit(int cp) implements Node {}

    /** `.`: any code point but `\n`. */
    record Any() implements Node {}

    /** `[…]`, `\d`, …: sorted, merged, inclusive code-point ranges `lo0, hi0, lo1, hi1, …`. */
    record Cls(int[] ranges) implements Node {}

    /** A zero-width test: see {@link Regex#BEGIN} and the other assertion kinds. */
    record Assert(int kind) implements Node {}

    record Cat(List<Node> items) implements Node {}

    record Alt(List<Node> items) implements Node {}

    /** A capturing group `(…)` or `(?<name>…)`: `index` counts from 1 by its `(`; `name` is null when unnamed. */
    record Group(Node item, int index, String name) implements Node {}

    /** `max` is -1 for no upper bound. */
    record Repeat(Node item, int min, int max, boolean greedy) implements Node {}
}
