package dev.manaknight.lang.regex;

/**
 * Runs a {@link Regex} over a text with Pike's simulation of its automaton: all threads advance
 * together one code point at a time, at most one thread per instruction, so a search makes at
 * most {@code size()} steps per code point whatever the pattern (no backtracking). Threads keep
 * their priority order, which gives Perl's leftmost-first answers (what RE2 and Java's own
 * matcher return). One matcher per search text; its arrays are reused by every search.
 */
public final class Pike {
    /** Told the steps made so far (a running total) after every code point: the caller's fuel. */
    @FunctionalInterface
    public interface Steps {
        void reached(long total);
    }

    private final Regex re;
    private final String s;
    private final Steps steps;
    private int[] cpc, cstart, npc, nstart;
    private int ccount, ncount;
    private final int[] mark;
    private int generation;
    private final int[] stack;
    private long made;

    public Pike(Regex re, String text, Steps steps) {
        this.re = re;
        this.s = text;
        this.steps = steps;
        int n = re.size();
        cpc = new int[n];
        cstart = new int[n];
        npc = new int[n];
        nstart = new int[n];
        mark = new int[n];
        stack = new int[2 * n + 2];
    }

    /** Bytes this matcher holds, for a memory meter: six int arrays of about the program's size. */
    public static long bytes(Regex re) {
        return 6L * (16 + 4L * (2L * re.size() + 2));
    }

    /**
     * The first match starting at or after `from` (a UTF-16 index), as `start << 32 | end`, or -1.
     * With `whole`, only a match of all the text from 0 counts (`from` must be 0).
     */
    public long search(int from, boolean whole) {
        int n = s.length();
        int matchStart = -1, matchEnd = -1;
        ccount = 0;
        generation++;
        int pos = from;
        while (true) {
            if (matchStart < 0 && (!whole || pos == from)) add(true, 0, pos, pos);
            int c = pos < n ? s.codePointAt(pos) : -1;
            int next = c < 0 ? pos : pos + Character.charCount(c);
            generation++;
            ncount = 0;
            for (int i = 0; i < ccount; i++) {
                int pc = cpc[i];
                made++;
                boolean step = switch (re.op[pc]) {
                    case Regex.CHAR -> c == re.x[pc];
                    case Regex.ANY -> c >= 0 && c != '\n';
                    case Regex.CLASS -> c >= 0 && Classes.contains(re.classes[re.x[pc]], c);
                    case Regex.MATCH -> {
                        if (whole && pos != n) yield false;
                        matchStart = cstart[i];
                        matchEnd = pos;
                        ccount = i; // the threads after this one have lower priority: drop them
                        yield false;
                    }
                    default -> false; // SPLIT, JMP, ASSERT never stay in a list
                };
                if (step && c >= 0) add(false, pc + 1, cstart[i], next);
            }
            steps.reached(made);
            if (c < 0) break;
            swap();
            pos = next;
            if (ccount == 0 && (matchStart >= 0 || whole)) break;
        }
        return matchStart < 0 ? -1 : (long) matchStart << 32 | matchEnd;
    }

    private void swap() {
        int[] t = cpc; cpc = npc; npc = t;
        t = cstart; cstart = nstart; nstart = t;
        ccount = ncount;
    }

    /**
     * Adds the thread at `pc0` and everything it reaches without reading, at `pos`, in priority
     * order, to the current or the next list.
     */
    private void add(boolean current, int pc0, int start, int pos) {
        int sp = 0;
        stack[sp++] = pc0;
        while (sp > 0) {
            int pc = stack[--sp];
            if (mark[pc] == generation) continue;
            mark[pc] = generation;
            made++;
            switch (re.op[pc]) {
                case Regex.JMP -> stack[sp++] = re.x[pc];
                case Regex.SPLIT -> {
                    stack[sp++] = re.y[pc];
                    stack[sp++] = re.x[pc];
                }
                case Regex.ASSERT -> { if (holds(re.x[pc], pos)) stack[sp++] = pc + 1; }
                default -> {
                    if (current) {
                        cpc[ccount] = pc;
                        cstart[ccount++] = start;
                    } else {
                        npc[ncount] = pc;
                        nstart[ncount++] = start;
                    }
                }
            }
        }
    }

    private boolean holds(int kind, int pos) {
        return switch (kind) {
            case Regex.BEGIN -> pos == 0;
            case Regex.END -> pos == s.length();
            default -> {
                boolean before = pos > 0 && Classes.isWord(s.codePointBefore(pos));
                boolean after = pos < s.length() && Classes.isWord(s.codePointAt(pos));
                yield (before != after) == (kind == Regex.WORD_BOUNDARY);
            }
        };
    }
}
