package dev.manaknight.lang.regex;

/**
 * A pattern that is not in the supported syntax: where (UTF-16 offsets into the pattern, end
 * exclusive), what, and a hint, so the compiler can point a caret into the string literal.
 */
public final class PatternError extends RuntimeException {
    private final int start;
    private final int end;
    private final String hint;

    PatternError(int start, int end, String message, String hint) {
        super(message, null, false, false);
        this.start = start;
        this.end = Math.max(end, start);
        this.hint = hint;
    }

    /** The first char of the pattern the error is about. */
    public int start() { return start; }

    /** Just past the last char it is about (at least {@link #start}). */
    public int end() { return end; }

    /** What to write instead, or null. */
    public String hint() { return hint; }
}
