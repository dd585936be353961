package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.parser.OpenAPIV3Parser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands against the real compiler, module reader, writer, verifier and disassembler. */
class RealToolchainTest {
    /** The seed program, as the README shows it. */
    static final String SEED = """
            api GET /users/:id {
              uses { db }

              match db.findUser(id) {
                some(user) -> respond json(user)
                none -> respond status 404
              }
            }
            """;
    static final String TYPES = """
            type User { id: Int, name: String, email: String }

            db {
              findUser(id: Int): Option<User> = "SELECT id, name, email FROM users WHERE id = :id"
            }
            """;

    @TempDir Path dir;

    Cli run(String... args) {
        return Cli.run(AppLoader.standard(), args);
    }

    Path seedApp() throws Exception {
        Path app = Files.createDirectory(dir.resolve("users"));
        Files.writeString(app.resolve("users.mnk"), SEED);
        Files.writeString(app.resolve("types.mnk"), TYPES);
        return app;
    }

    @Test void garbageBytesAreNotAModule() throws Exception {
        Path file = Files.write(dir.resolve("app.mkb"), new byte[] {'n', 'o', 'p', 'e', 0, 0, 0, 0, 0, 0, 0, 0});
        Cli r = run("check", file.toString());
        assertEquals(65, r.code(), r.toString());
        assertTrue(r.err().startsWith("manaknight: " + file + ": not a valid module: mkb: "), r.toString());
    }

    /** Issue 13: the fake toolchain hid that the real one made an empty directory an I/O error (74). */
    @Test void anEmptyDirectoryIsNotAnApp() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Cli r = run("check", empty.toString());
        assertEquals(64, r.code(), r.toString());
        assertTrue(r.err().contains("holds no .mnk files"), r.toString());
    }

    /** Issue 17: a route on a probe's path would be hidden by it; serve refuses to start. */
    @Test void aRouteOnAProbePathRefusesServe() throws Exception {
        Path app = Files.createDirectory(dir.resolve("probe"));
        Files.writeString(app.resolve("app.mnk"), "api GET /-/ready { respond text(\"mine\") }\n");
        Cli r = run("serve", app.toString(), "--port", "0");
        assertEquals(64, r.code(), r.toString());
        assertTrue(r.err().contains("GET /-/ready") && r.err().contains("ready_path"), r.toString());
    }

    /** Issue 16: `--port 99999` was an internal error (70); a taken port said bind(..) error(-98) without the address. */
    @Test void aBadOrTakenPortIsSaidPlainly() throws Exception {
        Path app = seedApp();
        Cli bad = run("serve", app.toString(), "--port", "99999");
        assertEquals(64, bad.code(), bad.toString());
        assertTrue(bad.err().contains("--port: expected 0 to 65535, got 99999"), bad.toString());
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Cli busy = run("serve", app.toString(), "--port", String.valueOf(taken.getLocalPort()));
            assertEquals(74, busy.code(), busy.toString());
            assertTrue(busy.err().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use"),
                    busy.toString());
            assertTrue(!java.nio.file.Files.exists(app.resolve("app.db")), "nothing was opened first");
        }
    }

    /**
     * Issue 16: `fpm` on a taken TCP port opened (and warmed) the database before it found the port
     * taken; it now says so first, with `serve`'s words and exit code, and opens nothing.
     */
    @Test void fpmOnATakenPortSaysSoBeforeItOpensTheDatabase() throws Exception {
        Path app = seedApp();
        Files.writeString(app.resolve("schema.sql"), "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT, email TEXT);\n");
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path config = Files.writeString(dir.resolve("fpm.toml"), "app = \"users\"\n[server]\nlisten = \"127.0.0.1:"
                    + taken.getLocalPort() + "\"\n[log]\naccess = \"off\"\n");
            Cli busy = run("fpm", "--config", config.toString());
            assertEquals(74, busy.code(), busy.toString());
            assertTrue(busy.err().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use"),
                    busy.toString());
            assertTrue(!Files.exists(app.resolve("app.db")), "nothing was opened first");
        }
    }

    /**
     * Issue 16: `build … -o users.mkb` then `serve users.mkb`, as the README showed, started on an
     * empty database and every request failed with `no such table`. A module that queries a
     * database, with neither a schema nor migrations named or beside it, is refused at start.
     */
    @Test void aModuleWithoutItsSchemaIsRefusedAtStart() throws Exception {
        Path app = seedApp();
        Path mkb = dir.resolve("users.mkb");
        assertEquals(0, run("build", app.toString(), "-o", mkb.toString()).code());
        Path fpmConfig = Files.writeString(dir.resolve("fpm.toml"), "app = \"users.mkb\"\n");
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());
            for (Cli r : List.of(run("serve", mkb.toString(), "--port", port), run("fpm", "-t", "--config", fpmConfig.toString()),
                    run("cgi", mkb.toString()))) {
                assertEquals(64, r.code(), r.toString());
                assertTrue(r.err().contains(mkb + " carries the program, not its schema: put schema.sql or migrations/ beside it,"
                        + " or name db.schema or db.migrations in the config"), r.toString());
            }
            assertTrue(!Files.exists(dir.resolve("app.db")), "nothing was opened first");
            Files.writeString(dir.resolve("schema.sql"), "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT, email TEXT);\n");
            assertEquals(74, run("serve", mkb.toString(), "--port", port).code(), "past the check, to the taken port");
            Cli tested = run("fpm", "-t", "--config", fpmConfig.toString());
            assertEquals(0, tested.code(), tested.toString());
        }
    }

    @Test void seedProgramChecks() throws Exception {
        Cli r = run("check", seedApp().toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().endsWith(": ok (1 route, 0 tests)\n"), r.toString());
    }

    @Test void seedProgramsOpenApiInfersAnIntegerId() throws Exception {
        Cli r = run("openapi", seedApp().toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("\"/users/{id}\""), r.out());
        assertTrue(r.out().contains("\"type\": \"integer\""), r.out());
        assertTrue(r.out().contains("\"User\""), r.out());
        assertEquals(List.of(), new OpenAPIV3Parser().readContents(r.out()).getMessages(), r.out());
    }

    @Test void compileErrorsExit65WithFramesAndACount() throws Exception {
        Path app = Files.createDirectory(dir.resolve("broken"));
        Files.writeString(app.resolve("types.mnk"), TYPES);
        Files.writeString(app.resolve("users.mnk"), SEED.replace("  uses { db }\n", ""));
        Cli r = run("check", app.toString());
        assertEquals(65, r.code(), r.toString());
        assertTrue(r.err().contains("users.mnk:"), r.toString());
        assertTrue(r.err().contains("error["), r.toString());
        assertTrue(r.err().matches("(?s).*\n\\d+ errors?\n"), r.toString());
    }

    @Test void buildThenCheckAndDisassembleTheModule() throws Exception {
        Path app = seedApp();
        Path mkb = dir.resolve("users.mkb");
        Cli build = run("build", app.toString(), "-o", mkb.toString());
        assertEquals(0, build.code(), build.toString());
        assertTrue(Files.size(mkb) > 4);

        Cli check = run("check", mkb.toString());
        assertEquals(0, check.code(), check.toString());

        Cli disasm = run("disasm", mkb.toString());
        assertEquals(0, disasm.code(), disasm.toString());
        assertTrue(disasm.out().contains("/users/:id"), disasm.out());
    }

    /**
     * Issue 16: a module built into another folder (`build examples/users -o users.mkb`) was
     * disassembled with file:line but without the source lines, and nothing said why.
     */
    @Test void disasmOfAModuleBuiltElsewhereNamesItsMissingSources() throws Exception {
        Path app = seedApp();
        Path mkb = dir.resolve("users.mkb");
        assertEquals(0, run("build", app.toString(), "-o", mkb.toString()).code());
        String line = "match db.findUser(id) {";

        Cli bare = run("disasm", mkb.toString());
        assertEquals(0, bare.code(), bare.toString());
        assertTrue(bare.out().contains("; users.mnk:4") && !bare.out().contains(line), bare.out());
        assertTrue(bare.err().contains("no source for users.mnk in the module's folder")
                && bare.err().contains("--sources DIR"), bare.toString());

        Cli sourced = run("disasm", mkb.toString(), "--sources", app.toString());
        assertEquals(0, sourced.code(), sourced.toString());
        assertTrue(sourced.out().contains("; users.mnk:4 | " + "  " + line), sourced.out());
        assertEquals("", sourced.err(), sourced.toString());

        Cli fromTheFolder = run("disasm", app.toString());
        assertTrue(fromTheFolder.out().contains(line) && fromTheFolder.err().isEmpty(), fromTheFolder.toString());

        Cli noDir = run("disasm", mkb.toString(), "--sources", dir.resolve("nope").toString());
        assertEquals(64, noDir.code(), noDir.toString());
        assertTrue(noDir.err().contains("--sources: " + dir.resolve("nope") + " is not a directory"), noDir.toString());
    }
}
