package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.bytecode.ModuleFormatException;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.SourceFile;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorReportTest {
    static final SourceFile USERS = new SourceFile("users.mnk", "api GET /users/:id {\n  match db.findUser(id) {\n");

    static Diagnostic error(String code) {
        return Diagnostic.error(code, "`db` is used but not declared", USERS.span(29, 31), "this handler has no `uses { db }`");
    }

    @Test void compileErrorsAreCodeFramesThenASummary() {
        var e = new CompileException(List.of(error("E0301"), error("E0302").withHint("add `uses { db }`")));
        String text = ErrorReport.describe(e);
        assertTrue(text.startsWith("users.mnk:2:9: error[E0301]: `db` is used but not declared\n"), text);
        assertTrue(text.contains("\n2 |   match db.findUser(id) {\n"), text);
        assertTrue(text.contains("^^ this handler has no `uses { db }`"), text);
        assertTrue(text.contains("= hint: add `uses { db }`"), text);
        assertTrue(text.endsWith("\n2 errors\n"), text);
    }

    @Test void summaryCountsErrorsAndWarningsApart() {
        var warning = new Diagnostic(Diagnostic.Severity.WARNING, "W0001", "unused", USERS.span(0, 3), "here", List.of(), null);
        assertEquals("1 error", ErrorReport.summary(new CompileException(List.of(error("E1")))));
        assertEquals("3 errors", ErrorReport.summary(new CompileException(List.of(error("E1"), error("E2"), error("E3")))));
        assertEquals("1 error, 1 warning", ErrorReport.summary(new CompileException(List.of(error("E1"), warning))));
    }

    @Test void fileErrorsAreOneLine() {
        assertEquals("manaknight: no such file or directory: /tmp/x\n", ErrorReport.describe(new NoSuchFileException("/tmp/x")));
        assertEquals("manaknight: a.mkb: not a valid module: mkb: bad magic\n",
                ErrorReport.describe(new InvalidModuleException(Path.of("a.mkb"), new ModuleFormatException("bad magic"))));
    }

    @Test void internalErrorsCarryTheirStackTrace() {
        String text = ErrorReport.describe(new IllegalStateException("boom"));
        assertTrue(text.startsWith("manaknight: internal error: java.lang.IllegalStateException: boom\n"), text);
        assertTrue(text.contains("at dev.manaknight.cli.ErrorReportTest"), text);
    }
}
