package dev.manaknight.cli;

import dev.manaknight.fcgi.SignalSetupException;
import dev.manaknight.lang.diag.CodeFrame;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.runtime.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** What a failed command prints on stderr: code frames for diagnostics, one line for the rest. */
final class ErrorReport {
    private ErrorReport() {}

    static String describe(Throwable failure) {
        return switch (failure) {
            case CompileException e -> CodeFrame.render(e.diagnostics()) + summary(e) + "\n";
            case NotAnAppException e -> "manaknight: " + e.getMessage() + "\n";
            case InvalidModuleException e -> "manaknight: " + e.getMessage() + "\n";
            case ConfigException e -> "manaknight: " + e.getMessage() + "\n";
            case SignalSetupException e -> "manaknight: " + e.getMessage() + "\n";
            case NoSuchFileException e -> "manaknight: no such file or directory: " + e.getFile() + "\n";
            case AccessDeniedException e -> "manaknight: permission denied: " + e.getFile() + "\n";
            case FileSystemException e -> "manaknight: " + e.getMessage() + "\n";
            case dev.manaknight.runtime.effects.MigrationException e -> "manaknight: " + e.getMessage() + "\n";
            case java.sql.SQLException e -> "manaknight: database error: " + e.getMessage() + "\n";
            case UncheckedIOException e -> describe(e.getCause());
            case IOException e -> "manaknight: I/O error: " + e.getMessage() + "\n";
            default -> {
                var trace = new StringWriter();
                failure.printStackTrace(new PrintWriter(trace));
                yield "manaknight: internal error: " + failure + "\n" + trace;
            }
        };
    }

    /** `1 error`, `3 errors`, `2 errors, 1 warning`. */
    static String summary(CompileException e) {
        long errors = e.diagnostics().stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).count();
        long warnings = e.diagnostics().size() - errors;
        String text = errors + (errors == 1 ? " error" : " errors");
        if (warnings > 0) text += ", " + warnings + (warnings == 1 ? " warning" : " warnings");
        return text;
    }
}
