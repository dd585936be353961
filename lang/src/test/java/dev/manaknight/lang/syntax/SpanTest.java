package dev.manaknight.lang.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.ast.Decl;
import dev.manaknight.lang.syntax.ast.Expr;
import dev.manaknight.lang.syntax.ast.Stmt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A node's span covers exactly its source text. */
class SpanTest {

    private static Stmt firstStatement(String source) {
        var r = Parse.file("test \"t\" {\n  " + source + "  \n}\n");
        assertEquals(0, r.diagnostics().size(), r.diagnostics().toString());
        return ((Decl.TestDecl) r.unit().decls().getFirst()).body().stmts().getFirst();
    }

    private static String text(Span s) {
        return s.file().text().substring(s.start(), s.end());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '\'', textBlock = """
        (a + b) * c                                       => (a + b) * c
        f(x)?.name                                        => f(x)?.name
        -x                                                => -x
        !done                                             => !done
        u with { a: 1 }                                   => u with { a: 1 }
        "a ${b}"                                          => "a ${b}"
        ()                                                => ()
        [1, 2]                                            => [1, 2]
        { "k": 1 }                                        => { "k": 1 }
        User { id: 1 }                                    => User { id: 1 }
        if a { 1 } else { 2 }                             => if a { 1 } else { 2 }
        match v { _ -> 1 }                                => match v { _ -> 1 }
        for i in 0..n { f(i) }                            => for i in 0..n { f(i) }
        respond status 201 json(tx) headers { "A": 1 }    => respond status 201 json(tx) headers { "A": 1 }
        respond json(x)                                   => respond json(x)
        let x: Int = 1                                    => let x: Int = 1
        var y = (1)                                       => var y = (1)
        y = y + 1                                         => y = y + 1
        return x                                          => return x
        return                                            => return
        expect a == b                                     => expect a == b
        request POST "/x" json(b)                         => request POST "/x" json(b)
        xs.map(x -> x + 1)                                => xs.map(x -> x + 1)
        xs.fold(0, (a, b) -> a + b)                       => xs.fold(0, (a, b) -> a + b)
        -9223372036854775808                              => -9223372036854775808
        xs[i + 1]                                         => xs[i + 1]
        """)
    void statementSpans(String source, String expected) {
        assertEquals(expected, text(firstStatement(source).span()));
    }

    @Test
    void innerSpans() {
        var mul = (Expr.Binary) ((Stmt.ExprStmt) firstStatement("(a + b) * c")).expr();
        assertEquals("a + b", text(mul.left().span()));
        var forStmt = (Stmt.For) firstStatement("for i in (0)..n { f(i) }");
        assertEquals("(0)..n", text(forStmt.iterable().span()));
        assertEquals("{ f(i) }", text(forStmt.body().span()));
        var fold = (Expr.MethodCall) ((Stmt.ExprStmt) firstStatement("xs.fold(0, (a, b) -> a + b)")).expr();
        assertEquals("(a, b) -> a + b", text(fold.args().get(1).span()));
        var m = (Expr.Match) ((Stmt.ExprStmt) firstStatement("match v { some(x) -> x + 1 }")).expr();
        assertEquals("some(x) -> x + 1", text(m.arms().getFirst().span()));
        assertEquals("x + 1", text(m.arms().getFirst().body().span()));
        assertEquals("some(x)", text(m.arms().getFirst().pattern().span()));
        var s = (Expr.StringLit) ((Stmt.ExprStmt) firstStatement("\"a ${b.c} d\"")).expr();
        var interp = (Expr.StringPart.Interp) s.parts().get(1);
        assertEquals("b.c", text(interp.expr().span()));
    }

    @Test
    void declarationSpans() {
        var r = Parse.file("type A { x: Int }\nfn f(a: Int): List<A> { [] }\nconst C: Int = 1 + 2\n");
        assertEquals("type A { x: Int }", text(r.unit().decls().get(0).span()));
        var f = (Decl.FnDecl) r.unit().decls().get(1);
        assertEquals("fn f(a: Int): List<A> { [] }", text(f.span()));
        assertEquals("List<A>", text(f.result().span()));
        assertEquals("a: Int", text(f.params().getFirst().span()));
        assertEquals("const C: Int = 1 + 2", text(r.unit().decls().get(2).span()));
    }
}
