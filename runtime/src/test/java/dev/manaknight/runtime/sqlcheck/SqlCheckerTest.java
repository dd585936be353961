package dev.manaknight.runtime.sqlcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.diag.CodeFrame;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14: queries checked against the schema at compile time, with golden code frames that point
 * inside the SQL string (`src/test/resources/golden/sqlcheck/CASE/`: the app, its schema and the
 * `expected` frames, rewritten only with `-Dgolden.update=true`).
 */
class SqlCheckerTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/sqlcheck");
    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final String PG = System.getenv("MANAKNIGHT_TEST_PG_URL");

    static SqlChecker.Result check(Path app, Path config, String db) throws Exception {
        List<SourceFile> sources = Compiler.loadSources(app);
        Config cfg = ConfigLoader.load(app, config);
        return SqlChecker.check(Compiler.compile(sources), sources, cfg.db(), db);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown-column", "unknown-table", "type-mismatch", "nullable-column"})
    void goldenFrames(String name) throws Exception {
        Path dir = GOLDEN.resolve(name);
        String actual = CodeFrame.render(check(dir, null, null).errors());
        Path expected = dir.resolve("expected");
        if ("true".equals(System.getProperty("golden.update"))) Files.writeString(expected, actual);
        assertTrue(Files.exists(expected), "missing " + expected + "; create it with -Dgolden.update=true:\n" + actual);
        assertEquals(Files.readString(expected), actual, "golden file " + expected + " differs; if intended, rerun with "
                + "-Dgolden.update=true");
    }

    @Test void theExamplesCheckClean() throws Exception {
        for (String app : List.of("users", "ledger")) {
            var r = check(EXAMPLES.resolve(app), null, null);
            assertEquals("", CodeFrame.render(r.errors()), app);
            assertEquals(List.of(), r.warnings(), app);
        }
    }

    @Test void anAppOnPostgresqlWithoutOneToCheckAgainstSaysSo() throws Exception {
        Path ledger = EXAMPLES.resolve("ledger");
        var r = check(ledger, ledger.resolve("postgresql.toml"), null);
        assertEquals(List.of(), r.errors());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().getFirst().startsWith("the queries are not checked: the app's database is PostgreSQL"),
                r.warnings().toString());
    }

    @Test void anAppOnPostgresqlIsCheckedAgainstTheOneGiven() throws Exception {
        assumeTrue(PG != null && !PG.isBlank(), "MANAKNIGHT_TEST_PG_URL is not set");
        Path ledger = EXAMPLES.resolve("ledger");
        var clean = check(ledger, ledger.resolve("postgresql.toml"), PG);
        assertEquals("", CodeFrame.render(clean.errors()));
        assertEquals(List.of(), clean.warnings());
        Path dir = GOLDEN.resolve("unknown-column");
        Path config = Files.createTempFile("pg", ".toml");
        try {
            Files.writeString(config, "app = \"" + dir.toAbsolutePath() + "\"\n[db]\nurl = \"postgresql://x/y\"\nschema = \""
                    + dir.resolve("schema.sql").toAbsolutePath() + "\"\n");
            String frames = CodeFrame.render(check(dir, config, PG).errors());
            assertTrue(frames.contains("error[E0721]: no column `titel` in the tables of `listTodos`"), frames);
            assertTrue(frames.contains("^^^^^ not a column here"), frames);
        } finally {
            Files.deleteIfExists(config);
        }
    }
}
