package dev.manaknight.lsp;

import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.types.CheckedApp;
import dev.manaknight.lang.types.TExpr;
import dev.manaknight.lang.types.TWalk;
import dev.manaknight.lang.types.Ty;
import dev.manaknight.lang.syntax.Token;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;

/**
 * Hover: the type of the innermost checked expression under the cursor (`u.name: String`), and
 * for a name that refers to a declaration, that declaration's first line.
 */
final class Hovers {
    private Hovers() {}

    /** Longer or multi-line expressions are shown by their type alone. */
    static final int MAX_SHOWN = 80;

    static Hover hover(Analysis app, String name, int offset) {
        SourceFile file = app.files().get(name);
        if (file == null) return null;
        var lines = new StringBuilder();
        TExpr e = app.checked() == null ? null : innermost(app.checked(), name, offset);
        if (e != null) {
            String text = file.text().substring(e.span().start(), e.span().end());
            boolean shown = text.length() <= MAX_SHOWN && text.indexOf('\n') < 0;
            lines.append(shown ? text + ": " : "").append(Ty.show(e.ty())).append('\n');
        }
        Tokens.NameAt at = Tokens.nameAt(file, offset);
        if (at != null) {
            Token receiver = at.receiver();
            boolean afterDb = receiver != null && receiver.isWord("db");
            Declarations.Named d = receiver == null || afterDb ? Declarations.find(app, at.name().text(), afterDb) : null;
            if (d != null) lines.append(header(d.span())).append('\n');
        }
        if (lines.isEmpty()) return null;
        return new Hover(new MarkupContent(MarkupKind.MARKDOWN, "```mnk\n" + lines + "```"));
    }

    /** The declaration's first line, without an opening brace at its end. */
    private static String header(Span span) {
        String text = span.file().text().substring(span.start(), span.end());
        int nl = text.indexOf('\n');
        String first = (nl < 0 ? text : text.substring(0, nl)).strip();
        return first.endsWith("{") ? first.substring(0, first.length() - 1).strip() : first;
    }

    private static TExpr innermost(CheckedApp checked, String name, int offset) {
        TExpr[] best = {null};
        for (CheckedApp.Fn fn : checked.functions()) {
            if (!name.equals(fn.file())) continue;
            TWalk.forEach(fn.body(), e -> {
                Span s = e.span();
                if (s == null || !s.file().name().equals(name) || !Positions.contains(s, offset)) return;
                if (e instanceof TExpr.Block) return; // a block's type is its last expression's: say that one
                if (best[0] == null || s.end() - s.start() < best[0].span().end() - best[0].span().start()) best[0] = e;
            });
        }
        return best[0];
    }
}
