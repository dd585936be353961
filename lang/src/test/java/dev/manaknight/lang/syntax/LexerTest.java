package dev.manaknight.lang.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.SourceFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tokens, their texts and spans, the newline flag, and the path scanner. */
class LexerTest {

    /** `KIND(text)` per token, a `/` before tokens that start a new line. */
    private static String lex(String text) {
        var diags = new ArrayList<Diagnostic>();
        var lexer = new Lexer(new SourceFile("t.mnk", text), diags);
        var out = new StringBuilder();
        for (Token t = lexer.next(); t.kind() != TokenKind.EOF; t = lexer.next()) {
            if (!out.isEmpty()) out.append(' ');
            if (t.newlineBefore()) out.append('/');
            out.append(t.kind()).append('(').append(t.text()).append(')');
            assertEquals(t.text(), text.substring(t.span().start(), t.span().end()));
        }
        if (!diags.isEmpty()) out.append(" !").append(diags.getFirst().code());
        return out.toString();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
        let x = 1                 => /LET(let) IDENT(x) EQ(=) INT(1)
        a->b..c.d                 => /IDENT(a) ARROW(->) IDENT(b) DOT_DOT(..) IDENT(c) DOT(.) IDENT(d)
        == != <= >= < > ! = && || => /EQ_EQ(==) BANG_EQ(!=) LE(<=) GE(>=) LT(<) GT(>) BANG(!) EQ(=) AND_AND(&&) OR_OR(||)
        + - * / % ? ; : ,         => /PLUS(+) MINUS(-) STAR(*) SLASH(/) PERCENT(%) QUESTION(?) SEMICOLON(;) COLON(:) COMMA(,)
        ( ) [ ] { }               => /LPAREN(() RPAREN()) LBRACKET([) RBRACKET(]) LBRACE({) RBRACE(})
        _ _x x_1 X                => /UNDERSCORE(_) IDENT(_x) IDENT(x_1) IDENT(X)
        1_000 12.50 1.5e3 2e-3    => /INT(1_000) DECIMAL(12.50) FLOAT(1.5e3) FLOAT(2e-3)
        0..10                     => /INT(0) DOT_DOT(..) INT(10)
        5.abs()                   => /INT(5) DOT(.) IDENT(abs) LPAREN(() RPAREN())
        a // comment              => /IDENT(a)
        a\\n// c\\n\\nb c         => /IDENT(a) /IDENT(b) IDENT(c)
        type enum const fn api test db uses => /TYPE(type) ENUM(enum) CONST(const) FN(fn) API(api) TEST(test) IDENT(db) IDENT(uses)
        respond status json with  => /RESPOND(respond) IDENT(status) IDENT(json) WITH(with)
        `"a ${ "}" } b" x`        => /STRING("a ${ "}" } b") IDENT(x)
        `"\\"" y`                 => /STRING("\\"") IDENT(y)
        `"abc`                    => /ERROR("abc) !E0102
        `"a ${ b`                 => /ERROR("a ${ b) !E0102
        a # b                     => /IDENT(a) ERROR(#) IDENT(b) !E0101
        a & b                     => /IDENT(a) ERROR(&) IDENT(b) !E0101
        1e                        => /ERROR(1e) !E0105
        1_                        => /ERROR(1_) !E0105
        0x1F                      => /ERROR(0x1F) !E0105
        \u00e9                    => /ERROR(\u00e9) !E0101
        """)
    void tokens(String source, String expected) {
        assertEquals(expected, lex(source.replace("\\n", "\n")));
    }

    @Test
    void pathIsScannedOnRequest() {
        var diags = new ArrayList<Diagnostic>();
        var file = new SourceFile("t.mnk", "api GET /users/:id/posts {");
        var lexer = new Lexer(file, diags);
        assertEquals(TokenKind.API, lexer.next().kind());
        assertEquals(TokenKind.IDENT, lexer.next().kind());
        Lexer.Path path = lexer.scanPath();
        assertEquals("[users, :id, posts]", path.segments().toString());
        assertEquals(8, path.span().start());
        assertEquals(TokenKind.LBRACE, lexer.next().kind());
        assertEquals(List.of(), diags);
    }

    @Test
    void stringSegmentsDecodeEscapesAndLocateInterpolations() {
        var diags = new ArrayList<Diagnostic>();
        var file = new SourceFile("t.mnk", "\"a\\n${x}\\u{41}\\$\"");
        var lexer = new Lexer(file, diags);
        Token t = lexer.next();
        List<Lexer.Segment> segs = lexer.segments(t);
        assertEquals(3, segs.size());
        assertEquals(new Lexer.Segment.Text("a\n"), segs.get(0));
        var interp = (Lexer.Segment.Interp) segs.get(1);
        assertEquals("x", file.text().substring(interp.start(), interp.end()));
        assertEquals("${x}", file.text().substring(interp.span().start(), interp.span().end()));
        assertEquals(new Lexer.Segment.Text("A$"), segs.get(2));
        assertEquals(List.of(), diags);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '\'', textBlock = """
        "\\q"          => unknown escape `\\q`
        "\\u41"        => `\\u` needs braces: `\\u{1F600}`
        "\\u{}"        => `\\u{…}` takes 1 to 6 hex digits
        "\\u{1234567}" => `\\u{…}` takes 1 to 6 hex digits
        "\\u{110000}"  => `\\u{110000}` is not a Unicode scalar value
        "\\u{DFFF}"    => `\\u{DFFF}` is not a Unicode scalar value
        """)
    void badEscapes(String source, String title) {
        var diags = Parse.diagnostics("const S = " + source);
        assertEquals(1, diags.size(), diags.toString());
        assertEquals(title, diags.getFirst().title());
        assertEquals("E0103", diags.getFirst().code());
    }
}
