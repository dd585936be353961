package dev.manaknight.lang.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.source.SourceFile;
import org.junit.jupiter.api.Test;

/** Issue 16: the canonical layout of `manaknight fmt`, case by case. */
class FormatterTest {

    private static String fmt(String text) throws CompileException {
        return Formatter.format(new SourceFile("t.mnk", text));
    }

    @Test void indentsTwoSpacesPerBracketAndSpacesTokens() throws CompileException {
        assertEquals("""
                type User { id: Int, name: String }
                fn twice(x: Int): Int {
                  return x * 2
                }
                """, fmt("""
                type   User{id:Int,name :String}
                fn twice( x:Int ):Int{
                        return x*2
                }"""));
    }

    @Test void keepsEveryCommentWordForWord() throws CompileException {
        String in = """
                // head   comment
                fn f(): Int { // after a brace
                    // alone, before code
                  let x = 1 //   trailing
                      // before the closing brace
                }
                // at the end
                """;
        assertEquals("""
                // head   comment
                fn f(): Int { // after a brace
                  // alone, before code
                  let x = 1 //   trailing
                  // before the closing brace
                }
                // at the end
                """, fmt(in));
    }

    @Test void trailingCommentsOfConsecutiveLinesLineUp() throws CompileException {
        assertEquals("""
                fn f(): Int {
                  let a = 1      // one
                  let longer = a // two
                  return longer + a
                  // alone
                  let b = 2 // three
                }
                """, fmt("""
                fn f(): Int {
                  let a = 1 // one
                  let longer = a        // two
                  return longer + a
                  // alone
                  let b = 2      // three
                }
                """));
    }

    @Test void keepsOneBlankLineAtMostAndNoneInsideBracketEdges() throws CompileException {
        assertEquals("""
                const A: Int = 1

                fn f(): Int {
                  let x = 1

                  return x
                }
                """, fmt("""


                const A: Int = 1



                fn f(): Int {

                  let x = 1


                  return x

                }


                """));
    }

    @Test void typeArgumentsAreTightAndComparisonsSpaced() throws CompileException {
        assertEquals("""
                fn f(xs: List<Map<String, Int>>, n: Int): Option<Int> {
                  if n < 3 && n > -1 {
                    return some(-n)
                  }
                  return none
                }
                """, fmt("""
                fn f(xs: List < Map<String,Int> >, n: Int): Option <Int> {
                  if n<3&&n> - 1 {
                    return some(- n)
                  }
                  return none
                }
                """));
    }

    @Test void continuedLinesGetFourMoreSpacesAndApiPathsStayWhole() throws CompileException {
        assertEquals("""
                db {
                  findUser(id: Int): Option<Int> =
                      "SELECT id FROM users WHERE id = :id"
                }

                api GET /users/:id {
                  uses { db }
                  let ok = id > 0
                      && id < 100
                  respond status 200 json(db.findUser(id))
                }
                """, fmt("""
                db {
                findUser(id: Int): Option<Int> =
                "SELECT id FROM users WHERE id = :id"
                }

                api  GET  /users/:id  {
                uses {db}
                let ok = id > 0
                && id < 100
                respond status 200 json(db.findUser(id))
                }
                """));
    }

    @Test void aLineEndingInATypeIsNotContinued() throws CompileException {
        String text = """
                api GET /search {
                  query tag: List<String>
                  respond json(tag)
                }
                """;
        assertEquals(text, fmt(text));
    }

    @Test void headersOnTheNextLineContinueTheRespondOrRequest() throws CompileException {
        assertEquals("""
                api POST /notes {
                  respond status 201 text("made")
                      headers { "Location": "/notes/1" }
                }
                test "t" {
                  let r = request POST "/notes" text("x")
                      headers { "X-Trace": "1" }
                }
                """, fmt("""
                api POST /notes {
                  respond status 201 text("made")
                  headers { "Location": "/notes/1" }
                }
                test "t" {
                  let r = request POST "/notes" text("x")
                    headers { "X-Trace": "1" }
                }
                """));
    }

    @Test void isIdempotentAndSaysWhetherAFileIsFormatted() throws CompileException {
        String once = fmt("fn f(a:Int):Int{\n  return -a+[1,2][0]+{\"k\":1}.with (\"k\",2).len()\n}\n");
        assertEquals("fn f(a: Int): Int {\n  return -a + [1, 2][0] + { \"k\": 1 }.with(\"k\", 2).len()\n}\n", once);
        assertEquals(once, fmt(once));
        assertTrue(Formatter.isFormatted(new SourceFile("t.mnk", once)));
        assertFalse(Formatter.isFormatted(new SourceFile("t.mnk", once + "\n")));
    }

    @Test void aFileWithSyntaxErrorsIsNotFormatted() {
        var e = assertThrows(CompileException.class, () -> fmt("fn f( {\n"));
        assertFalse(e.diagnostics().isEmpty());
    }

    @Test void anEmptyFileStaysEmpty() throws CompileException {
        assertEquals("", fmt(""));
        assertEquals("", fmt("\n\n  \n"));
    }
}
