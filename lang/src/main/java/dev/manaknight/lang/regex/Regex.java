package dev.manaknight.lang.regex;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled pattern: a program of {@link #size()} instructions for {@link Pike}, the matcher
 * that runs it in time linear in the text (at most {@link #size()} steps per code point). Made by
 * {@link #compile}, which checks the syntax (RE2's subset: docs/language.md) and the size.
 */
public final class Regex {
    /** The most instructions a pattern may compile to, counted repetitions expanded. */
    public static final int MAX_SIZE = 10_000;

    /** SAVE x: records the position in capture slot x (group x / 2's start when even, its end when odd). */
    static final int CHAR = 0, ANY = 1, CLASS = 2, SPLIT = 3, JMP = 4, ASSERT = 5, MATCH = 6, SAVE = 7;
    /** Assertion kinds: start and end of the text, word boundary (ASCII word chars) and its opposite. */
    static final int BEGIN = 0, END = 1, WORD_BOUNDARY = 2, NOT_WORD_BOUNDARY = 3;

    final int[] op;
    final int[] x;
    final int[] y;
    final int[][] classes;
    private final List<String> names;
    private final boolean capturing;

    private Regex(int[] op, int[] x, int[] y, int[][] classes, List<String> names, boolean capturing) {
        this.op = op;
        this.x = x;
        this.y = y;
        this.classes = classes;
        this.names = names;
        this.capturing = capturing;
    }

    /** Compiles `pattern` for matching only (groups just group), or throws a {@link PatternError} saying where it is wrong. */
    public static Regex compile(String pattern) { return compile(pattern, false); }

    /** Compiles `pattern`; with `capturing`, its groups record where they matched ({@link Pike#group}). */
    public static Regex compile(String pattern, boolean capturing) {
        RegexParser.Parsed parsed = RegexParser.parse(pattern);
        var b = new Builder(pattern.length(), capturing);
        b.emit(parsed.node());
        b.add(MATCH, 0, 0);
        return new Regex(b.ops(0), b.ops(1), b.ops(2), b.classes.toArray(int[][]::new), parsed.names(), capturing);
    }

    /** Instructions: the matcher's work per code point is at most this. */
    public int size() { return op.length; }

    /** The capturing groups, not counting group 0 (the whole match). */
    public int groups() { return names.size(); }

    /** Group `i`'s name (1 ≤ i ≤ {@link #groups()}), or null when it has none. */
    public String name(int i) { return names.get(i - 1); }

    /** Capture slots a matcher thread carries: two per group when compiled capturing, else none. */
    int slots() { return capturing ? 2 * names.size() : 0; }

    private static final class Builder {
        private final List<int[]> code = new ArrayList<>();
        private final List<int[]> classes = new ArrayList<>();
        private final int patternLength;
        private final boolean capturing;

        Builder(int patternLength, boolean capturing) {
            this.patternLength = patternLength;
            this.capturing = capturing;
        }

        int add(int op, int x, int y) {
            if (code.size() >= MAX_SIZE)
                throw new PatternError(0, patternLength, "the pattern is too large: over " + MAX_SIZE
                        + " instructions once its counted repetitions are written out", "use smaller counts, or `*` and `+`");
            code.add(new int[] {op, x, y});
            return code.size() - 1;
        }

        int pc() { return code.size(); }

        void patch(int at, int which, int target) { code.get(at)[which] = target; }

        int[] ops(int which) {
            int[] out = new int[code.size()];
            for (int i = 0; i < out.length; i++) out[i] = code.get(i)[which];
            return out;
        }

        void emit(Node n) {
            switch (n) {
                case Node.Lit l -> add(CHAR, l.cp(), 0);
                case Node.Any a -> add(ANY, 0, 0);
                case Node.Cls c -> {
                    classes.add(c.ranges());
                    add(CLASS, classes.size() - 1, 0);
                }
                case Node.Assert a -> add(ASSERT, a.kind(), 0);
                case Node.Cat c -> { for (Node item : c.items()) emit(item); }
                case Node.Alt a -> {
                    // SPLIT L1, next; L1: a0; JMP end; next: SPLIT L2, next2 … ; last: aN
                    List<Integer> jumps = new ArrayList<>();
                    for (int i = 0; i < a.items().size(); i++) {
                        if (i < a.items().size() - 1) {
                            int split = add(SPLIT, 0, 0);
                            patch(split, 1, pc());
                            emit(a.items().get(i));
                            jumps.add(add(JMP, 0, 0));
                            patch(split, 2, pc());
                        } else {
                            emit(a.items().get(i));
                        }
                    }
                    for (int j : jumps) patch(j, 1, pc());
                }
                case Node.Repeat r -> repeat(r);
                case Node.Group g -> {
                    if (capturing) add(SAVE, 2 * g.index() - 2, 0);
                    emit(g.item());
                    if (capturing) add(SAVE, 2 * g.index() - 1, 0);
                }
            }
        }

        private void repeat(Node.Repeat r) {
            for (int i = 0; i < r.min(); i++) emit(r.item());
            if (r.max() == -1) {
                star(r.item(), r.greedy());
            } else {
                List<Integer> splits = new ArrayList<>();
                for (int i = r.min(); i < r.max(); i++) {
                    splits.add(optional(r.greedy()));
                    emit(r.item());
                }
                for (int s : splits) patch(s, r.greedy() ? 2 : 1, pc());
            }
        }

        /** A SPLIT that runs what follows (greedy) or skips it first; the skip target is patched later. */
        private int optional(boolean greedy) {
            int split = add(SPLIT, 0, 0);
            patch(split, greedy ? 1 : 2, pc() );
            return split;
        }

        private void star(Node item, boolean greedy) {
            int split = add(SPLIT, 0, 0);
            patch(split, greedy ? 1 : 2, pc());
            emit(item);
            add(JMP, split, 0);
            patch(split, greedy ? 2 : 1, pc());
        }
    }
}
