package dev.manaknight.lang.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.manaknight.lang.diag.CodeFrame;
import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.syntax.ast.Decl;
import java.util.List;

/** Test shorthands: parse a snippet and print it, or collect its diagnostics. */
final class Parse {
    private Parse() {}

    static ParseResult file(String text) {
        return Parser.parse(new SourceFile("test.mnk", text));
    }

    /** Parses `text` as a whole file that must have no diagnostics; prints its declarations. */
    static String clean(String text) {
        ParseResult r = file(text);
        if (!r.diagnostics().isEmpty()) fail("unexpected diagnostics:\n" + CodeFrame.render(r.diagnostics()));
        List<String> spans = SpanWalker.check(r.unit());
        if (!spans.isEmpty()) fail("span problems:\n" + String.join("\n", spans));
        return AstPrinter.unit(r.unit());
    }

    /** Parses `body` as the statements of a test body; prints them `; `-separated. */
    static String body(String body) {
        String printed = clean("test \"t\" {\n" + body + "\n}\n");
        assertEquals(true, printed.startsWith("(test \"t\" {") && printed.endsWith("})"), printed);
        return printed.substring("(test \"t\" {".length(), printed.length() - 2);
    }

    /** The diagnostics of `text`, as `line:col code title`. */
    static List<String> errors(String text) {
        return file(text).diagnostics().stream()
                .map(d -> d.span().line() + ":" + d.span().column() + " " + d.code() + " " + d.title())
                .toList();
    }

    static List<Diagnostic> diagnostics(String text) {
        return file(text).diagnostics();
    }

    static Decl onlyDecl(String text) {
        ParseResult r = file(text);
        if (!r.diagnostics().isEmpty()) fail("unexpected diagnostics:\n" + CodeFrame.render(r.diagnostics()));
        assertEquals(1, r.unit().decls().size());
        return r.unit().decls().getFirst();
    }
}
