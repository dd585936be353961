package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.manaknight.lang.bytecode.ModuleFormatException;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.verify.VerifyError;
import dev.manaknight.lang.verify.VerifyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExitCodeTest {
    @Test void valuesAreTheSysexitsOnes() {
        assertEquals(0, ExitCode.OK);
        assertEquals(64, ExitCode.USAGE);
        assertEquals(65, ExitCode.DATA);
        assertEquals(70, ExitCode.SOFTWARE);
        assertEquals(74, ExitCode.IO);
    }

    @Test void usageErrors() {
        var cl = new CommandLine(new Main());
        assertEquals(64, ExitCode.of(new CommandLine.ParameterException(cl, "bad")));
        assertEquals(64, ExitCode.of(new NotAnAppException(Path.of("x.mnk"), "is one file")));
    }

    @Test void compileAndModuleErrorsAreDataErrors() {
        assertEquals(65, ExitCode.of(new CompileException(List.of())));
        var format = new ModuleFormatException("bad magic");
        assertEquals(65, ExitCode.of(format));
        assertEquals(65, ExitCode.of(new InvalidModuleException(Path.of("a.mkb"), format)));
        var verify = new VerifyException(List.of(new VerifyError(0, 3, "stack underflow")));
        assertEquals(65, ExitCode.of(verify));
        assertEquals(65, ExitCode.of(new InvalidModuleException(Path.of("a.mkb"), verify)));
    }

    /** Issue 14: a migration that does not fit the database is the app's data error; a database out of reach is I/O. */
    @Test void migrationAndDatabaseErrors() {
        assertEquals(65, ExitCode.of(new dev.manaknight.runtime.effects.MigrationException("V2__x.sql was changed")));
        assertEquals(74, ExitCode.of(new java.sql.SQLException("connection refused", "08001")));
    }

    @Test void inputOutputErrors() {
        assertEquals(74, ExitCode.of(new NoSuchFileException("/nope")));
        assertEquals(74, ExitCode.of(new AccessDeniedException("/root")));
        assertEquals(74, ExitCode.of(new IOException("disk full")));
        assertEquals(74, ExitCode.of(new UncheckedIOException(new IOException("disk full"))));
    }

    @Test void everythingElseIsASoftwareFailure() {
        assertEquals(70, ExitCode.of(new UnsupportedOperationException("TODO(lead)")));
        assertEquals(70, ExitCode.of(new IllegalStateException("bug")));
        assertEquals(70, ExitCode.of(new StackOverflowError()));
    }
}
