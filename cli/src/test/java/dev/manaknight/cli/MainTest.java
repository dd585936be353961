package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.bytecode.ModuleFormatException;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.verify.VerifyError;
import dev.manaknight.lang.verify.VerifyException;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command tree end to end, with a fake toolchain standing in for the compiler and reader. */
class MainTest {
    @TempDir Path dir;
    final FakeToolchain fake = new FakeToolchain();

    Cli run(String... args) {
        return Cli.run(fake.loader(), args);
    }

    Path garbageModule() throws Exception {
        Path file = dir.resolve("app.mkb");
        Files.write(file, new byte[] {'n', 'o', 't', ' ', 'a', ' ', 'm', 'o', 'd', 'u', 'l', 'e'});
        return file;
    }

    @Test void versionNamesTheProjectVersion() {
        Cli r = run("--version");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().matches("(?s)manaknight \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\nJava .*"), r.toString());
    }

    private static final List<String> COMMANDS =
            List.of("new", "check", "build", "disasm", "openapi", "serve", "dev", "fpm", "cgi", "test", "migrate");

    @Test void helpListsEveryCommand() {
        Cli r = run("--help");
        assertEquals(0, r.code(), r.toString());
        for (String command : COMMANDS) {
            assertTrue(r.out().contains("\n  " + command + " "), command + " missing:\n" + r.out());
        }
    }

    @Test void everyCommandHasItsOwnHelp() {
        for (String command : COMMANDS) {
            Cli r = run(command, "--help");
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().startsWith("Usage: manaknight " + command + " "), r.toString());
            assertEquals(0, run(command, "-h").code(), command);
        }
    }

    @Test void noCommandIsAUsageError() {
        Cli r = run();
        assertEquals(64, r.code(), r.toString());
        assertTrue(r.err().contains("Usage: manaknight"), r.toString());
    }

    @Test void unknownCommandIsAUsageErrorWithASuggestion() {
        Cli r = run("chekc", "app");
        assertEquals(64, r.code(), r.toString());
        assertTrue(r.err().contains("check"), r.toString());
        assertTrue(r.err().contains("Try 'manaknight --help'"), r.toString());
    }

    @Test void missingOrUnknownArgumentsAreUsageErrors() {
        assertEquals(64, run("check").code());
        assertEquals(64, run("check", "a", "b").code());
        assertEquals(64, run("check", "--frob", "a").code());
        Cli noOutput = run("build", dir.toString());
        assertEquals(64, noOutput.code(), noOutput.toString());
        assertTrue(noOutput.err().contains("--output"), noOutput.toString());
        assertTrue(noOutput.err().contains("Try 'manaknight build --help'"), noOutput.toString());
    }

    @Test void missingAppIsAnInputOutputError() {
        Cli r = run("check", "/tmp/nonexistent-manaknight-app");
        assertEquals(74, r.code(), r.toString());
        assertEquals("manaknight: no such file or directory: /tmp/nonexistent-manaknight-app\n", r.err());
        assertFalse(fake.compiled || fake.read);
    }

    @Test void checkCompilesADirectory() {
        Cli r = run("check", dir.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(fake.compiled);
        assertEquals(1, fake.verified, "issue 13: verified once");
        assertEquals(dir + ": ok (1 route, 0 tests)\n", r.out());
    }

    @Test void compileErrorsAreFramedAndCounted() {
        fake.compileError = new CompileException(List.of(ErrorReportTest.error("E0301")));
        Cli r = run("check", dir.toString());
        assertEquals(65, r.code(), r.toString());
        assertTrue(r.err().startsWith("users.mnk:2:9: error[E0301]"), r.toString());
        assertTrue(r.err().endsWith("\n1 error\n"), r.toString());
        assertEquals("", r.out());
    }

    @Test void aDirectoryWithoutSourcesIsNotAnApp() {
        fake.sources = List.of();
        Cli r = run("check", dir.toString());
        assertEquals(64, r.code(), r.toString());
        assertTrue(r.err().contains("holds no .mnk files"), r.toString());
    }

    @Test void aSingleSourceFileIsNotAnApp() throws Exception {
        Path file = Files.writeString(dir.resolve("users.mnk"), "type A { x: Int }\n");
        Cli r = run("check", file.toString());
        assertEquals(64, r.code(), r.toString());
        assertTrue(r.err().contains("the directory that holds it"), r.toString());
    }

    @Test void aMalformedModuleIsADataError() throws Exception {
        fake.formatError = new ModuleFormatException("bad magic");
        Path file = garbageModule();
        Cli r = run("check", file.toString());
        assertEquals(65, r.code(), r.toString());
        assertEquals("manaknight: " + file + ": not a valid module: mkb: bad magic\n", r.err());
    }

    @Test void aModuleTheVerifierRefusesIsADataErrorListingEveryProblem() throws Exception {
        fake.verifyError = new VerifyException(List.of(new VerifyError(0, 4, "stack underflow"), new VerifyError(-1, -1, "bad type index")));
        Cli r = run("check", garbageModule().toString());
        assertEquals(65, r.code(), r.toString());
        assertTrue(r.err().contains("failed verification\n  stack underflow\n  bad type index\n"), r.toString());
    }

    @Test void internalFailuresAreSoftwareErrors() {
        fake.crash = new UnsupportedOperationException("TODO(lead)");
        Cli r = run("check", dir.toString());
        assertEquals(70, r.code(), r.toString());
        assertTrue(r.err().startsWith("manaknight: internal error: java.lang.UnsupportedOperationException: TODO(lead)"), r.toString());
    }

    @Test void openapiPrintsTheDocumentTitledByTheAppName() throws Exception {
        Path app = Files.createDirectory(dir.resolve("users"));
        Cli r = run("openapi", app.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("\"openapi\": \"3.1.0\""), r.out());
        assertTrue(r.out().contains("\"title\": \"users\""), r.out());
        assertTrue(r.out().contains("\"/users/{id}\""), r.out());
        assertEquals(List.of(), new OpenAPIV3Parser().readContents(r.out()).getMessages(), "stdout is exactly the document");
        Cli titled = run("openapi", "--title", "Users API", garbageModule().toString());
        assertEquals(0, titled.code(), titled.toString());
        assertTrue(fake.read);
        assertTrue(titled.out().contains("\"title\": \"Users API\""), titled.out());
    }

    @Test void fpmParsesItsOptionsAndNeedsAConfigFile() {
        Cli r = run("fpm", "--config", dir.resolve("prod.toml").toString(), "--graceful");
        assertEquals(64, r.code(), r.toString());
        assertEquals("manaknight: " + dir.resolve("prod.toml") + ": no such config file\n", r.err(), "one line, no stack trace");
        assertEquals(64, run("fpm").code(), "--config is required");
        assertEquals(64, run("fpm", "--config").code());
    }

    /** `php-fpm -t`: the config and the program checked as a reload would load them, nothing started. */
    @Test void fpmTestChecksTheConfigAndTheProgramAndExits() throws Exception {
        Path app = dir.resolve("app");
        Files.createDirectories(app);
        Files.copy(Path.of("../examples/users/users.mnk"), app.resolve("users.mnk"));
        Path config = dir.resolve("prod.toml");
        Files.writeString(config, "app = \"app\"\n[server]\nlisten = \"unix:" + dir.resolve("fpm.sock") + "\"\n");
        Cli ok = run("fpm", "--config", config.toString(), "-t");
        assertEquals(0, ok.code(), ok.toString());
        assertEquals("manaknight: configuration " + config + " and program " + app + " test is successful\n", ok.out());
        assertFalse(Files.exists(dir.resolve("fpm.sock")), "nothing was started");

        Files.writeString(app.resolve("broken.mnk"), "api GET /x {\n  respond text(nope)\n}\n");
        Cli broken = run("fpm", "--config", config.toString(), "--test");
        assertEquals(65, broken.code(), broken.toString());
        assertTrue(broken.err().contains("broken.mnk:2:"), broken.err());

        Files.writeString(config, "app = \"app\"\n[server]\nworkers = 0\n");
        Cli bad = run("fpm", "--config", config.toString(), "-t");
        assertEquals(64, bad.code(), bad.toString());
        assertTrue(bad.err().contains("`server.workers`"), bad.err());
    }

    @Test void cgiParsesItsArgumentAndNeedsAnApp() {
        Cli r = run("cgi", dir.resolve("no-such-app").toString());
        assertEquals(74, r.code(), r.toString());
        assertEquals(64, run("cgi").code());
    }

    @Test void buildToAMissingFolderFailsBeforeCompiling() {
        Path target = dir.resolve("no/such/folder/app.mkb");
        Cli r = run("build", dir.toString(), "-o", target.toString());
        assertEquals(74, r.code(), r.toString());
        assertEquals("manaknight: no such file or directory: " + target.getParent() + "\n", r.err());
        assertFalse(fake.compiled);
    }

    @Test void buildThroughASymlinkReplacesTheFileItNames() throws Exception {
        Path real = Files.write(dir.resolve("real.mkb"), new byte[] {'o', 'l', 'd'});
        Path link = Files.createSymbolicLink(dir.resolve("link.mkb"), real);
        Cli r = run("build", dir.toString(), "-o", link.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals("MKB", new String(Files.readAllBytes(real), 0, 3, java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** `-o /dev/null` once replaced /dev/null with a regular file (a rename over a device); a FIFO stands in for it. */
    @Test void buildIntoAFifoWritesIntoItAndLeavesItAFifo() throws Exception {
        Path fifo = dir.resolve("out.fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException noMkfifo) {
            org.junit.jupiter.api.Assumptions.abort("mkfifo is not available");
            return;
        }
        assertEquals(0, mkfifo.waitFor());
        var read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Cli r = run("build", dir.toString(), "-o", fifo.toString());
        assertEquals(0, r.code(), r.toString());
        byte[] got = read.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("MKB", new String(got, 0, 3, java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class).isOther(), "still a FIFO");
    }
}
