package dev.manaknight.lang.diag;

import dev.manaknight.lang.source.Span;
import java.util.List;

/**
 * One compiler message as data: a code (`E0301`), a title, the primary span with its label,
 * secondary labels, and an optional hint. {@link CodeFrame} renders it.
 */
public record Diagnostic(Severity severity, String code, String title, Span span, String label,
                         List<Label> secondary, String hint) {

    public enum Severity { ERROR, WARNING }

    /** A secondary place that explains the primary one. */
    public record Label(Span span, String text) {}

    public Diagnostic {
        secondary = List.copyOf(secondary);
    }

    public static Diagnostic error(String code, String title, Span span, String label) {
        return new Diagnostic(Severity.ERROR, code, title, span, label, List.of(), null);
    }

    public Diagnostic withHint(String text) {
        return new Diagnostic(severity, code, title, span, label, secondary, text);
    }

    public Diagnostic withLabel(Span where, String text) {
        var more = new java.util.ArrayList<>(secondary);
        more.add(new Label(where, text));
        return new Diagnostic(severity, code, title, span, label, more, hint);
    }

    /** The one-line form `file:line:col: error[CODE]: title`. */
    public String headline() {
        return span.where() + ": " + severity.name().toLowerCase() + "[" + code + "]: " + title;
    }

    @Override public String toString() { return headline(); }
}
