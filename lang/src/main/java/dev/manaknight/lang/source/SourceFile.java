package dev.manaknight.lang.source;

import java.util.Arrays;

/** One `.mnk` file's text, with the line index that turns offsets into line:column. */
public final class SourceFile {
    private final String name;
    private final String text;
    private final int[] lineStarts;

    public SourceFile(String name, String text) {
        this.name = name;
        this.text = text;
        int count = 1;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') count++;
        int[] starts = new int[count];
        int line = 1;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') starts[line++] = i + 1;
        this.lineStarts = starts;
    }

    public String name() { return name; }

    public String text() { return text; }

    public int lineCount() { return lineStarts.length; }

    /** 1-based line of an offset. */
    public int line(int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    /** 1-based column (in characters) of an offset. */
    public int column(int offset) {
        return offset - lineStarts[line(offset) - 1] + 1;
    }

    /** The text of a 1-based line, without its line terminator. */
    public String lineText(int line) {
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
        if (end > start && text.charAt(end - 1) == '\r') end--;
        return text.substring(start, Math.max(start, end));
    }

    /** Offset where a 1-based line starts. */
    public int lineStart(int line) { return lineStarts[line - 1]; }

    public Span span(int start, int end) { return new Span(this, start, end); }

    @Override public String toString() { return name; }
}
