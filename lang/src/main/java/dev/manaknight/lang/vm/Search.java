package dev.manaknight.lang.vm;

/**
 * Finding a literal substring in time linear in the text, whatever the text and the pattern:
 * Java's {@code String.indexOf} compares naively, so 500,000 `a`s searched for 5,000 `a`s and a
 * `b` take 2.5 billion comparisons. A short pattern (at most {@link #SHORT} chars, so at most
 * that many comparisons per char) or a short text ({@link #NAIVE_WORK}) still goes to
 * {@code indexOf}, which is vectorised; the rest use the two-way algorithm (Crochemore and
 * Perrin, 1991: at most 2n comparisons and O(1) space, so there is no table to allocate).
 * Matching is by UTF-16 unit, like {@code indexOf}.
 *
 * <p>The search pays fuel for the text it reaches (one unit per {@link Text#CHARS_PER_FUEL}
 * chars, rounded down over the whole search, so the count does not depend on how it is split
 * up) at least every {@link Text#CHUNK} chars, so a long search reaches a budget tick (the
 * cancel flag, the CPU clock) every {@link Budget#TICK} units. One object serves every search
 * of one builtin call, from left to right.
 */
final class Search {
    /** Patterns up to this length go to {@code indexOf}: its worst case is then SHORT comparisons per char. */
    static final int SHORT = 4;
    /** Texts and patterns whose lengths multiply to at most this go to {@code indexOf} too: few comparisons even naively. */
    static final int NAIVE_WORK = 1 << 16;

    private final String text;
    private final String pattern;
    private final int m;
    private final Budget budget;
    /** Whether this is a two-way search; if so, the pattern is `pattern[0, suffix) pattern[suffix, m)`, of this period. */
    private final boolean twoWay;
    private final int suffix;
    private final int period;
    private final boolean periodic;
    /** Text chars paid for so far: the search has looked at (or is about to look at) text[0, paid). */
    private long paid;

    /** Whether one plain {@code indexOf} over the whole text is cheap: no chunking, no two-way. */
    static boolean plain(int n, int m) {
        return n <= Text.CHUNK && (m <= SHORT || (long) n * m <= NAIVE_WORK);
    }

    /** A search for `pattern` (not empty) in `text`. */
    Search(String text, String pattern, Budget budget) {
        this.text = text;
        this.pattern = pattern;
        this.m = pattern.length();
        this.budget = budget;
        this.twoWay = m > SHORT && m <= text.length() && (long) m * text.length() > NAIVE_WORK;
        if (!twoWay) {
            this.suffix = this.period = 0;
            this.periodic = false;
            return;
        }
        Text.walk(2L * m, budget); // the factorisation reads the pattern twice
        long factor = criticalFactorisation(pattern);
        int s = (int) (factor >>> 32), p = (int) factor;
        boolean isPeriodic = pattern.regionMatches(0, pattern, p, s);
        this.suffix = s;
        this.period = isPeriodic ? p : Math.max(s, m - s) + 1;
        this.periodic = isPeriodic;
    }

    /** Pays for text[0, reached), if not yet paid. */
    void payTo(long reached) {
        if (reached > paid) {
            long units = reached / Text.CHARS_PER_FUEL - paid / Text.CHARS_PER_FUEL;
            paid = reached;
            if (units > 0) budget.charge(units);
        }
    }

    /** The first match at or after `from`, or -1; pays for the text up to the match's end (or the text's end). */
    int next(int from) {
        int n = text.length();
        if (from + (long) m > n) {
            payTo(n);
            return -1;
        }
        int at = twoWay ? twoWay(from) : shortSearch(from);
        payTo(at < 0 ? n : at + m);
        return at;
    }

    /** {@code indexOf} over windows of {@link Text#CHUNK} chars, paying for each it searches in vain. */
    private int shortSearch(int from) {
        int n = text.length();
        for (int start = from; start + m <= n; ) {
            int end = (int) Math.min(n, (long) start + Text.CHUNK + m - 1);
            int at = text.indexOf(pattern, start, end);
            if (at >= 0) return at;
            payTo(end);
            start = end - m + 1;
        }
        return -1;
    }

    /**
     * The two-way search (after glibc's str-two-way.h), paying every CHUNK chars of progress.
     * Where nothing of the alignment is known yet and the text does not have the right half's
     * first char where it should, it skips to the next place that does with a vectorised
     * {@code indexOf}, at most to the end of the paid window.
     */
    private int twoWay(int from) {
        final String t = text;
        final String x = pattern;
        final int n = t.length(), s = suffix;
        final char first = x.charAt(s);
        long payAt = paid; // pay again once the window's end passes this
        int j = from;
        if (periodic) {
            int memory = 0;
            while (j <= n - m) {
                if (j + m > payAt) {
                    payTo(j + m);
                    payAt = (long) j + m + Text.CHUNK;
                }
                if (memory == 0 && t.charAt(j + s) != first) {
                    j = skip(first, j, payAt);
                    continue;
                }
                int i = Math.max(s, memory);
                while (i < m && x.charAt(i) == t.charAt(i + j)) i++;
                if (i >= m) {
                    i = s - 1;
                    while (memory < i + 1 && x.charAt(i) == t.charAt(i + j)) i--;
                    if (i < memory) return j;
                    j += period;
                    memory = m - period;
                } else {
                    j += i - s + 1;
                    memory = 0;
                }
            }
        } else {
            while (j <= n - m) {
                if (j + m > payAt) {
                    payTo(j + m);
                    payAt = (long) j + m + Text.CHUNK;
                }
                if (t.charAt(j + s) != first) {
                    j = skip(first, j, payAt);
                    continue;
                }
                int i = s;
                while (i < m && x.charAt(i) == t.charAt(i + j)) i++;
                if (i >= m) {
                    i = s - 1;
                    while (i >= 0 && x.charAt(i) == t.charAt(i + j)) i--;
                    if (i < 0) return j;
                    j += period;
                } else {
                    j += i - s + 1;
                }
            }
        }
        return -1;
    }

    /** The next alignment after j whose right half starts with `first`, or the first past the paid window. */
    private int skip(char first, int j, long payAt) {
        int s = suffix;
        int limit = (int) Math.min(text.length() - m + 1, payAt - m + 1) + s; // exclusive, for the right half's start
        int k = text.indexOf(first, j + s + 1, limit);
        return (k < 0 ? limit : k) - s;
    }

    /**
     * The critical factorisation: the longer of the maximal suffixes under the two orders
     * (Crochemore and Perrin): the start of the right half in the high 32 bits, its period in the low.
     */
    private static long criticalFactorisation(String x) {
        long forward = maximalSuffix(x, false), reverse = maximalSuffix(x, true);
        return (int) (reverse >>> 32) < (int) (forward >>> 32) ? forward : reverse;
    }

    /** The maximal suffix of x under char order (or its reverse): its start in the high 32 bits, its period in the low. */
    private static long maximalSuffix(String x, boolean reversed) {
        int m = x.length();
        int maxSuffix = -1, j = 0, k = 1, p = 1;
        while (j + k < m) {
            char a = x.charAt(j + k), b = x.charAt(maxSuffix + k);
            if (a == b) {
                if (k != p) k++;
                else {
                    j += p;
                    k = 1;
                }
            } else if (a < b != reversed) { // the suffix is smaller: its period is the whole prefix so far
                j += k;
                k = 1;
                p = j - maxSuffix;
            } else { // the suffix is larger: start over from here
                maxSuffix = j++;
                k = p = 1;
            }
        }
        return (long) (maxSuffix + 1) << 32 | p;
    }

    /** Every match of `pattern` (not empty) in `text`, left to right, not overlapping. */
    static Matches all(String text, String pattern, Budget budget, MemoryMeter meter) {
        var matches = new Matches(meter);
        int m = pattern.length();
        if (plain(text.length(), m)) {
            for (int at = text.indexOf(pattern); at >= 0; at = text.indexOf(pattern, at + m)) matches.add(at);
            Text.walk(text.length(), budget);
        } else {
            var search = new Search(text, pattern, budget);
            for (int at = search.next(0); at >= 0; at = search.next(at + m)) matches.add(at);
        }
        return matches;
    }

    /**
     * Match positions, in a growing array: the first {@link #FREE} are free (most splits and
     * replaces find a few), growth beyond them is charged to the meter before it is made.
     */
    static final class Matches {
        static final int FREE = 8;

        private final MemoryMeter meter;
        private int[] at = new int[FREE];
        private int count;

        private Matches(MemoryMeter meter) { this.meter = meter; }

        void add(int position) {
            if (count == at.length) {
                int capacity = at.length * 2;
                meter.charge(MemoryMeter.HEADER + 4L * capacity);
                at = java.util.Arrays.copyOf(at, capacity);
            }
            at[count++] = position;
        }

        int count() { return count; }

        int get(int k) { return at[k]; }
    }
}
