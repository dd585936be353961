package dev.manaknight.lang.diag;

import dev.manaknight.lang.source.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Renders a {@link Diagnostic} as a code frame: the headline, the source line, a caret run under
 * the span with its label, secondary labels underlined with dashes, and the hint.
 *
 * <pre>
 * users.mnk:4:9: error[E0301]: `db` is used but not declared
 *    |
 *  4 |   match db.findUser(id) {
 *    |         ^^ this handler has no `uses { db }`
 *    = hint: add `uses { db }` at the top of the handler
 * </pre>
 */
public final class CodeFrame {
    private CodeFrame() {}

    public static String render(List<Diagnostic> diagnostics) {
        var out = new StringBuilder();
        for (Diagnostic d : diagnostics) out.append(render(d)).append('\n');
        return out.toString();
    }

    public static String render(Diagnostic d) {
        record Mark(Span span, String text, char underline) {}
        var marks = new ArrayList<Mark>();
        marks.add(new Mark(d.span(), d.label(), '^'));
        for (var l : d.secondary()) marks.add(new Mark(l.span(), l.text(), '-'));
        marks.sort(Comparator.comparingInt((Mark m) -> m.span().line()));
        int width = 1;
        for (Mark m : marks) width = Math.max(width, Integer.toString(m.span().line()).length());
        String gutter = " ".repeat(width + 1) + "|";

        var out = new StringBuilder();
        out.append(d.headline()).append('\n');
        out.append(gutter).append('\n');
        int lastLine = -1;
        for (Mark m : marks) {
            Span s = m.span();
            int line = s.line();
            if (lastLine != -1 && line > lastLine + 1) out.append(" ".repeat(width)).append("...\n");
            String text = s.file().lineText(line);
            if (line != lastLine) {
                out.append(pad(Integer.toString(line), width)).append(" | ").append(expandTabs(text)).append('\n');
            }
            int startCol = s.column() - 1;
            int lineEnd = s.file().lineStart(line) + text.length();
            int endCol = Math.max(startCol + 1, Math.min(s.end(), lineEnd) - s.file().lineStart(line));
            int visualStart = expandTabs(text.substring(0, Math.min(startCol, text.length()))).length();
            int visualEnd = expandTabs(text.substring(0, Math.min(endCol, text.length()))).length();
            int carets = Math.max(1, visualEnd - visualStart);
            out.append(gutter).append(' ').append(" ".repeat(visualStart))
               .append(String.valueOf(m.underline()).repeat(carets));
            if (m.text() != null && !m.text().isEmpty()) out.append(' ').append(m.text());
            out.append('\n');
            lastLine = line;
        }
        if (d.hint() != null) out.append(" ".repeat(width + 1)).append("= hint: ").append(d.hint()).append('\n');
        return out.toString();
    }

    private static String pad(String s, int width) {
        return " ".repeat(width - s.length()) + s;
    }

    private static String expandTabs(String s) {
        return s.replace("\t", "    ");
    }
}
