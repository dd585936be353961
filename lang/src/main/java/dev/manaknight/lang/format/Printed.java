package dev.manaknight.lang.format;

import java.util.List;

/**
 * One output line: its code (indented; for a comment-only line, the comment) and its trailing
 * comment, or null. Trailing comments of consecutive lines line up, one space after the longest
 * code of the run, as gofmt lines them up.
 */
record Printed(String code, String comment) {
    static final Printed BLANK = new Printed("", null);

    /** The code's width in code points (`é` is one column, as an editor shows it). */
    private int width() {
        return code.codePointCount(0, code.length());
    }

    static String join(List<Printed> lines) {
        var out = new StringBuilder();
        int runEnd = 0;
        int column = 0;
        for (int i = 0; i < lines.size(); i++) {
            Printed p = lines.get(i);
            if (p.comment != null && i >= runEnd) {
                runEnd = i;
                column = 0;
                while (runEnd < lines.size() && lines.get(runEnd).comment != null) {
                    column = Math.max(column, lines.get(runEnd).width());
                    runEnd++;
                }
            }
            out.append(p.code);
            if (p.comment != null) out.repeat(' ', column - p.width() + 1).append(p.comment);
            out.append('\n');
        }
        return out.toString();
    }
}
