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
    private final int slots;
    private int[] ccaps, ncaps;
    private final int[] work, undo, matched;

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
        slots = re.slots();
        ccaps = new int[n * slots];
        ncaps = new int[n * slots];
        work = new int[slots];
        undo = new int[slots == 0 ? 0 : 2 * n];
        matched = new int[slots];
    }

    /**
     * Bytes this matcher holds, for a memory meter: six int arrays of about the program's size, and
     * for a capturing program two lists of slots per instruction, the undo log and two slot rows.
     */
    public static long bytes(Regex re) {
        long plain = 6L * (16 + 4L * (2L * re.size() + 2));
        int slots = re.slots();
        if (slots == 0) return plain;
        return plain + 2 * (16 + 4L * re.size() * slots) + (16 + 8L * re.size()) + 2 * (16 + 4L * slots);
    }

    /** The program this matcher runs. */
    public Regex regex() { return re; }

    /**
     * Where group `i` (1 ≤ i ≤ {@link Regex#groups()}) of the last match found started and ended,
     * as `start << 32 | end`, or -1 when it took no part; only for a pattern compiled capturing.
     */
    public long group(int i) {
        int start = matched[2 * i - 2], end = matched[2 * i - 1];
        return start < 0 || end < 0 ? -1 : (long) start << 32 | end;
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
            if (matchStart < 0 && (!whole || pos == from)) {
                java.util.Arrays.fill(work, -1);
                add(true, 0, pos, pos);
            }
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
                        if (slots > 0) System.arraycopy(ccaps, i * slots, matched, 0, slots);
                        ccount = i; // the threads after this one have lower priority: drop them
                        yield false;
                    }
                    default -> false; // SPLIT, JMP, ASSERT never stay in a list
                };
                if (step && c >= 0) {
                    if (slots > 0) System.arraycopy(ccaps, i * slots, work, 0, slots);
                    add(false, pc + 1, cstart[i], next);
                }
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
        t = ccaps; ccaps = ncaps; ncaps = t;
        ccount = ncount;
    }

    /**
     * Adds the thread at `pc0` and everything it reaches without reading, at `pos`, in priority
     * order, to the current or the next list, each with the capture slots in {@link #work} as
     * changed by the SAVEs on its path (a negative stack entry undoes a SAVE: -1 - its undo record).
     */
    private void add(boolean current, int pc0, int start, int pos) {
        int sp = 0, up = 0;
        stack[sp++] = pc0;
        while (sp > 0) {
            int pc = stack[--sp];
            if (pc < 0) {
                int u = -1 - pc;
                work[undo[2 * u]] = undo[2 * u + 1];
                up = u;
                continue;
            }
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
                case Regex.SAVE -> {
                    if (slots > 0) {
                        undo[2 * up] = re.x[pc];
                        undo[2 * up + 1] = work[re.x[pc]];
                        stack[sp++] = -1 - up++;
                        work[re.x[pc]] = pos;
                    }
                    stack[sp++] = pc + 1;
                }
                default -> {
                    if (current) {
                        cpc[ccount] = pc;
                        cstart[ccount] = start;
                        if (slots > 0) System.arraycopy(work, 0, ccaps, ccount * slots, slots);
                        ccount++;
                    } else {
                        npc[ncount] = pc;
                        nstart[ncount] = start;
                        if (slots > 0) System.arraycopy(work, 0, ncaps, ncount * slots, slots);
                        ncount++;
                    }
                    made += (slots + 7) >>> 3; // copying the slots: a step per 8 (none without captures)
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
