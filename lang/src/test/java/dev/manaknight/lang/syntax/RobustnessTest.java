package dev.manaknight.lang.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.manaknight.lang.diag.CodeFrame;
import dev.manaknight.lang.source.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hostile input never throws and always terminates: token soup, truncations, deep nesting. */
class RobustnessTest {
    /** Fixed seed: a failure is reproducible. */
    private static final long SEED = 20261125L;
    private static final Duration LIMIT = Duration.ofSeconds(20);

    private static final String[] SOUP = {
        "api", "GET", "POST", "/x/:id", "/", "type", "enum", "const", "fn", "db", "test", "let", "var", "if",
        "else", "for", "in", "match", "return", "respond", "status", "json", "text", "headers", "expect",
        "request", "uses", "param", "query", "body", "with", "some", "none", "ok", "err", "_", "User", "x",
        "1", "-2", "12.50", "1e3", "\"s\"", "\"a ${x} b\"", "\"${", "}\"", "\"", "(", ")", "[", "]", "{", "}",
        ",", ":", ";", ".", "..", "?", "->", "=", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%",
        "!", "&&", "||", "&", "#", "\n", "\n", "\n", " ", "//c\n", "\\", "\u00e9", "9999999999999999999999",
    };

    /** Parses and renders; returns normally or the test fails. */
    private static void survive(String name, String text) {
        ParseResult r = Parser.parse(new SourceFile(name, text));
        assertNotNull(r.unit());
        assertNotNull(CodeFrame.render(r.diagnostics()));
        SpanWalker.check(r.unit());
        AstPrinter.unit(r.unit());
    }

    @Test
    void randomTokenSoup() {
        var random = new Random(SEED);
        assertTimeoutPreemptively(LIMIT, () -> {
            for (int i = 0; i < 3000; i++) {
                var sb = new StringBuilder();
                int n = 1 + random.nextInt(60);
                for (int j = 0; j < n; j++) sb.append(SOUP[random.nextInt(SOUP.length)]).append(' ');
                String text = sb.toString();
                try {
                    survive("soup" + i, text);
                } catch (RuntimeException | StackOverflowError e) {
                    throw new AssertionError("parser failed on:\n" + text, e);
                }
            }
        });
    }

    @Test
    void everyTruncationAndMutationOfTheSpecFiles() throws IOException {
        var texts = new ArrayList<String>();
        try (var files = Files.list(SpecExamplesTest.SPEC_DIR)) {
            for (Path p : files.sorted().toList()) texts.add(Files.readString(p));
        }
        var random = new Random(SEED);
        assertTimeoutPreemptively(LIMIT, () -> {
            for (String text : texts) {
                for (int cut = 0; cut <= text.length(); cut++) {
                    check(text.substring(0, cut));
                    check(text.substring(cut));
                }
                for (int i = 0; i < 300; i++) {
                    int at = random.nextInt(text.length());
                    int len = random.nextInt(Math.min(20, text.length() - at) + 1);
                    check(text.substring(0, at) + text.substring(at + len));
                    check(text.substring(0, at) + SOUP[random.nextInt(SOUP.length)] + text.substring(at));
                }
            }
        });
    }

    private static void check(String text) {
        try {
            survive("mutant", text);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("parser failed on:\n" + text, e);
        }
    }

    @Test
    void deepNestingIsAnErrorNotACrash() {
        for (String open : List.of("(", "[", "-", "!", "{", "if x {", "f(", "\"${", "some(")) {
            String text = "fn f(): Int {\n  " + open.repeat(5000) + "\n}\n";
            var r = Parser.parse(new SourceFile("deep", text));
            assertFalse(r.diagnostics().isEmpty(), open);
        }
        var r = Parser.parse(new SourceFile("deep", "fn f(): Int {\n  match x { " + "some(".repeat(5000) + "\n}\n"));
        assertFalse(r.diagnostics().isEmpty());
    }

    @Test
    void deeplyNestedInterpolationIsReportedOnce() {
        String s = "x";
        for (int i = 0; i < 400; i++) s = "\"${" + s + "}\"";
        var r = Parser.parse(new SourceFile("deep", "const S = " + s + "\n"));
        assertEquals(List.of("E0120"), r.diagnostics().stream().map(d -> d.code()).toList());
        String ok = "x";
        for (int i = 0; i < 20; i++) ok = "\"${" + ok + "}\"";
        assertFalse(Parse.clean("const S = " + ok + "\n").isEmpty());
    }

    @Test
    void deepButReasonableNestingParses() {
        String text = "fn f(): Int {\n  " + "(".repeat(100) + "1" + ")".repeat(100) + "\n}\n";
        assertFalse(Parse.clean(text).isEmpty());
    }
}
