package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16: `manaknight fmt [--check] PATH…`, its output and its exit codes. */
class FmtCommandTest {
    private static final String UGLY = "fn f(a:Int):Int{\n    return a*2   // twice\n}\n";
    private static final String PRETTY = "fn f(a: Int): Int {\n  return a * 2 // twice\n}\n";

    @TempDir Path dir;

    Cli run(String... args) {
        return Cli.run(AppLoader.standard(), args);
    }

    @Test void checkListsTheUnformattedFilesChangesNothingAndExitsOne() throws Exception {
        Path ugly = Files.writeString(dir.resolve("ugly.mnk"), UGLY);
        Files.writeString(dir.resolve("pretty.mnk"), PRETTY);
        Files.createDirectories(dir.resolve("target"));
        Files.writeString(dir.resolve("target/built.mnk"), UGLY);
        Cli r = run("fmt", "--check", dir.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(ugly + "\n", r.out(), "only the unformatted file, not the one in target/");
        assertEquals(UGLY, Files.readString(ugly));
    }

    @Test void checkExitsZeroWhenEverythingIsFormatted() throws Exception {
        Path pretty = Files.writeString(dir.resolve("pretty.mnk"), PRETTY);
        Cli r = run("fmt", "--check", pretty.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.out());
    }

    @Test void formatsInPlaceKeepingPermissionsAndSaysWhichFiles() throws Exception {
        Path ugly = Files.writeString(dir.resolve("ugly.mnk"), UGLY);
        Files.setPosixFilePermissions(ugly, PosixFilePermissions.fromString("rw-r--r--"));
        Path pretty = Files.writeString(dir.resolve("pretty.mnk"), PRETTY);
        Cli r = run("fmt", dir.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals("formatted " + ugly + "\n", r.out());
        assertEquals(PRETTY, Files.readString(ugly));
        assertEquals(PRETTY, Files.readString(pretty));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(ugly)));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file is left");
        }
        assertEquals(0, run("fmt", "--check", dir.toString()).code());
    }

    @Test void aSyntaxErrorIsReportedAndItsFileLeftAloneWhileTheOthersAreFormatted() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.mnk"), "fn f( {\n");
        Path ugly = Files.writeString(dir.resolve("ugly.mnk"), UGLY);
        Cli r = run("fmt", dir.toString());
        assertEquals(65, r.code(), r.toString());
        assertTrue(r.err().contains("broken.mnk:1:"), r.toString());
        assertTrue(r.err().contains("1 error"), r.toString());
        assertEquals("fn f( {\n", Files.readString(broken));
        assertEquals(PRETTY, Files.readString(ugly));
    }

    @Test void aMissingPathIsAnIoErrorAndNoPathAUsageError() {
        Cli missing = run("fmt", dir.resolve("nope.mnk").toString());
        assertEquals(74, missing.code(), missing.toString());
        assertTrue(missing.err().contains("no such file or directory"), missing.toString());
        assertEquals(64, run("fmt").code());
    }

    @Test void theNewAppTemplateIsFormatted() throws Exception {
        Path app = dir.resolve("hello");
        assertEquals(0, run("new", app.toString()).code());
        Cli r = run("fmt", "--check", app.toString());
        assertEquals(0, r.code(), r.toString());
    }
}
