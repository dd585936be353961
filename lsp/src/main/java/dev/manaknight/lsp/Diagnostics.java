package dev.manaknight.lsp;

import dev.manaknight.lang.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Location;

/**
 * The compiler's diagnostics as LSP diagnostics: the same code (`E0205`), the title, the label,
 * and the hint on a line of its own, as `manaknight check` prints them; secondary labels become
 * related information.
 */
final class Diagnostics {
    private Diagnostics() {}

    static final String SOURCE = "manaknight";

    static org.eclipse.lsp4j.Diagnostic of(Analysis app, Diagnostic d) {
        var message = new StringBuilder(d.title());
        if (d.label() != null && !d.label().isEmpty()) message.append("\n").append(d.label());
        if (d.hint() != null) message.append("\nhint: ").append(d.hint());
        var out = new org.eclipse.lsp4j.Diagnostic(Positions.range(d.span()), message.toString(),
                d.severity() == Diagnostic.Severity.ERROR ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
                SOURCE, d.code());
        var related = new ArrayList<DiagnosticRelatedInformation>();
        for (Diagnostic.Label l : d.secondary()) {
            String uri = app.path(l.span().file().name()).toUri().toString();
            related.add(new DiagnosticRelatedInformation(new Location(uri, Positions.range(l.span())), l.text()));
        }
        if (!related.isEmpty()) out.setRelatedInformation(related);
        return out;
    }

    /** The diagnostics of the file named `name` (relative to the app's root). */
    static List<org.eclipse.lsp4j.Diagnostic> forFile(Analysis app, String name) {
        return app.diagnostics().stream().filter(d -> d.span().file().name().equals(name)).map(d -> of(app, d)).toList();
    }
}
