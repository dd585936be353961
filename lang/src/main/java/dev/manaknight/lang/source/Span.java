package dev.manaknight.lang.source;

/** A half-open range [start, end) of character offsets in one source file. */
public record Span(SourceFile file, int start, int end) {
    public Span {
        if (start < 0 || end < start) throw new IllegalArgumentException("bad span " + start + ".." + end);
    }

    /** The smallest span covering both (same file). */
    public Span to(Span other) {
        return new Span(file, Math.min(start, other.start), Math.max(end, other.end));
    }

    public int line() { return file.line(start); }

    public int column() { return file.column(start); }

    /** `file:line:col`, the way compilers name a place. */
    public String where() { return file.name() + ":" + line() + ":" + column(); }

    @Override public String toString() { return where(); }
}
