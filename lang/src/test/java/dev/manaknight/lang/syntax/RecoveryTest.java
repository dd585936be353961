package dev.manaknight.lang.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.manaknight.lang.syntax.ast.Decl;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One mistake gives one error; independent mistakes each give theirs, on their own line. */
class RecoveryTest {

    private static List<Integer> errorLines(String source) {
        return Parse.diagnostics(source).stream().map(d -> d.span().line()).toList();
    }

    @Test
    void threeBrokenStatementsInOneBlock() {
        String src = """
                fn f(): Int {
                  let a = 1 +* 2
                  let b = 2
                  let c = (b
                  let d = 4
                  let e = [1, 2 3]
                  a + b
                }
                """;
        assertEquals(List.of(2, 4, 6), errorLines(src));
        var fn = (Decl.FnDecl) Parse.file(src).unit().decls().getFirst();
        assertEquals("{(let b 2); (let d 4); (+ a b)}", AstPrinter.block(fn.body()));
    }

    @Test
    void errorsInSeveralDeclarations() {
        String src = """
                type User { id: Int, name: }
                enum Role { admin, member }
                fn f(x: Int: Int { x }
                const OK = 1
                api GET /a {
                  respond status
                }
                test "t" { expect true }
                """;
        assertEquals(List.of(1, 3, 6), errorLines(src));
        assertEquals(List.of("EnumDecl", "ConstDecl", "ApiDecl", "TestDecl"),
                Parse.file(src).unit().decls().stream().map(d -> d.getClass().getSimpleName()).toList());
    }

    @Test
    void errorInsideAMatchArmKeepsTheOtherArms() {
        String src = """
                fn f(v: Option<Int>): Int {
                  match v {
                    some(x) -> x x
                    none -> 0
                    [y] -> 1
                  }
                }
                """;
        assertEquals(List.of(3, 5), errorLines(src));
    }

    @Test
    void missingClosingBraceIsOneErrorAndTheNextDeclarationSurvives() {
        String src = """
                api GET /a {
                  if true {
                    respond status 200
                  respond status 404
                }

                api GET /b {
                  respond status 200
                }
                """;
        var r = Parse.file(src);
        assertEquals(1, r.diagnostics().size(), r.diagnostics().toString());
        assertEquals("E0111", r.diagnostics().getFirst().code());
        assertEquals(2, r.unit().decls().size());
        assertEquals("/b", ((Decl.ApiDecl) r.unit().decls().get(1)).pathText());
    }

    @Test
    void unclosedAtEndOfFileIsReportedOnce() {
        var errors = Parse.errors("fn f(): Int {\n  if a {\n    match b {\n      _ -> 1\n");
        assertEquals(1, errors.size(), errors.toString());
    }

    @Test
    void indentedDeclarationKeywordInsideABlockIsMisplaced() {
        assertEquals(List.of("2:3 E0119 a `const` declaration is only allowed at the top level"),
                Parse.errors("fn f(): Int {\n  const X = 1\n  2\n}\n"));
    }

    @Test
    void brokenInterpolationIsOneError() {
        assertEquals(List.of("2:10 E0110 expected `}` to end the interpolation, found `b`"),
                Parse.errors("fn f(): String {\n  \"x ${a b} y\"\n}\n"));
        assertEquals(List.of("2:4 E0110 empty interpolation"), Parse.errors("fn f(): String {\n  \"${}\"\n}\n"));
    }

    @Test
    void lexerErrorsAreNotRepeatedByTheParser() {
        assertEquals(List.of("2:7 E0101 unexpected character `#`"), Parse.errors("fn f(): Int {\n  x = #1\n  x\n}\n"));
        assertEquals(List.of("2:11 E0105 invalid number `12abc`"), Parse.errors("fn f(): Int {\n  let x = 12abc\n  x\n}\n"));
    }

    @Test
    void fatArrowGetsAHint() {
        var d = Parse.diagnostics("fn f(v: Option<Int>): Int {\n  match v {\n    none => 0\n  }\n}\n");
        assertEquals(1, d.size(), d.toString());
        assertEquals(Cursor.FAT_ARROW_HINT, d.getFirst().hint());
        d = Parse.diagnostics("fn f(xs: List<Int>): List<Int> {\n  xs.map(x => x)\n}\n");
        assertEquals(1, d.size(), d.toString());
        assertEquals(Cursor.FAT_ARROW_HINT, d.getFirst().hint());
    }
}
