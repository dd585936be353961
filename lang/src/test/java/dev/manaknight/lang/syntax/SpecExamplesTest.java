package dev.manaknight.lang.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.diag.CodeFrame;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.syntax.ast.Decl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example program under resources/spec (the language's reference examples) parses cleanly, with sound spans. */
class SpecExamplesTest {
    static final Path SPEC_DIR = Path.of("src/test/resources/spec");

    static Stream<Path> specFiles() throws IOException {
        try (var files = Files.list(SPEC_DIR)) {
            return files.filter(p -> p.toString().endsWith(".mnk")).sorted().toList().stream();
        }
    }

    static SourceFile load(Path p) {
        try {
            return new SourceFile(p.getFileName().toString(), Files.readString(p));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("specFiles")
    void parsesWithoutDiagnostics(Path file) {
        ParseResult r = Parser.parse(load(file));
        assertEquals("", CodeFrame.render(r.diagnostics()), file.toString());
        assertFalse(r.unit().decls().isEmpty(), file + " has declarations");
        assertEquals(List.of(), SpanWalker.check(r.unit()), file + " spans");
    }

    @Test
    void allSevenCodeBlocksAreCovered() throws IOException {
        assertEquals(7, specFiles().count());
    }

    @Test
    void seedHandlerHasTheExpectedShape() {
        ParseResult r = Parser.parse(load(SPEC_DIR.resolve("01-seed-api.mnk")));
        assertEquals("(api GET /users/:id (uses db) {(match (.findUser db id) "
                + "((some user) {(respond (json user))}) (none {(respond (status 404))}))})",
                AstPrinter.unit(r.unit()));
        var api = (Decl.ApiDecl) r.unit().decls().getFirst();
        assertEquals("/users/:id", api.pathText());
        assertEquals("/users/:id", text(api.pathSpan()));
        assertTrue(api.span().start() == 0 || text(api.span()).startsWith("api GET"));
    }

    @Test
    void handlerInputsAreParsed() {
        ParseResult r = Parser.parse(load(SPEC_DIR.resolve("05-handlers.mnk")));
        var api = (Decl.ApiDecl) r.unit().decls().getFirst();
        assertEquals("db log clock", String.join(" ", api.uses().stream().map(i -> i.name()).toList()));
        assertEquals(List.of("(param id Int)", "(query dryRun Bool false)", "(query tag List<String>)",
                "(query note Option<String>)", "(header idempotencyKey String)", "(body t NewTransfer)"),
                api.inputs().stream().map(i -> "(" + i.kind().name().toLowerCase() + " " + i.name() + " " + i.type()
                        + (i.defaultValue() == null ? "" : " " + AstPrinter.expr(i.defaultValue())) + ")").toList());
        assertEquals(4, api.body().stmts().size());
        assertEquals("(respond (status 201) (json tx) (headers (\"Location\" (str \"/transfers/\" (. tx id)))))",
                AstPrinter.stmt(api.body().stmts().getLast()));
    }

    @Test
    void queryOnTheLineAfterEquals() {
        ParseResult r = Parser.parse(load(SPEC_DIR.resolve("07-db.mnk")));
        var db = (Decl.DbDecl) r.unit().decls().getFirst();
        assertEquals(5, db.queries().size());
        var create = db.queries().get(2);
        assertEquals("INSERT INTO users(name, email) VALUES (:name, :email) RETURNING id, name, email", create.sql());
        assertEquals('"' + create.sql() + '"', text(create.sqlSpan()));
    }

    private static String text(dev.manaknight.lang.source.Span s) {
        return s.file().text().substring(s.start(), s.end());
    }
}
