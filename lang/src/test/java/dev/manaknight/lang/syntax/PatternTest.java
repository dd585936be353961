package dev.manaknight.lang.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table-driven: a `match` arm's pattern in, its s-expression out. */
class PatternTest {

    private static String arm(String pattern) {
        String printed = Parse.body("match v {\n  " + pattern + " -> 0\n}");
        String prefix = "(match v (";
        String suffix = " {0}))";
        assertEquals(true, printed.startsWith(prefix) && printed.endsWith(suffix), printed);
        return printed.substring(prefix.length(), printed.length() - suffix.length());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
        _                            => _
        x                            => x
        0                            => 0
        -3                           => -3
        - 3                          => -3
        -9223372036854775808         => -9223372036854775808
        2.50                         => 2.50d
        -2.50                        => -2.50d
        1e3                          => 1000.0f
        `"admin"`                    => "admin"
        true                         => true
        false                        => false
        none                         => none
        some(u)                      => (some u)
        some(_)                      => (some _)
        some(some(1))                => (some (some 1))
        ok(x)                        => (ok x)
        err(e)                       => (err e)
        Role.admin                   => Role.admin
        Role.suspended(r)            => (Role.suspended r)
        Shape.rect(w, 2, _)          => (Shape.rect w 2 _)
        User { id, name: n }         => (User id (name n))
        User { id: 1, role: Role.admin } => (User (id 1) (role Role.admin))
        User {}                      => (User)
        Event { type: t }            => (Event (type t))
        some(User { id })            => (some (User id))
        """)
    void patterns(String pattern, String expected) {
        assertEquals(expected, arm(pattern));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
        User                         => a type name alone is not a pattern
        some                         => expected `(` after `some`, found `->`
        foo(x)                       => expected a pattern, found a call
        `"a${b}"`                    => a pattern string cannot be interpolated
        -x                           => expected a number after `-`, found `x`
        [1]                          => expected a pattern, found `[`
        """)
    void badPatterns(String pattern, String title) {
        var errors = Parse.diagnostics("test \"t\" {\n  match v {\n    " + pattern + " -> 0\n  }\n}\n");
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(title, errors.getFirst().title());
        assertEquals(3, errors.getFirst().span().line());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
        `match v { a -> 1, b -> 2 }`                      => (match v (a {1}) (b {2}))
        `match v {\\n a -> 1\\n b -> 2\\n}`               => (match v (a {1}) (b {2}))
        `match v {\\n a -> 1,\\n b -> 2,\\n}`             => (match v (a {1}) (b {2}))
        `match v { _ -> { let y = 1\\n y } }`             => (match v (_ {(let y 1); y}))
        `match v { none -> return 0 }`                    => (match v (none {(return 0)}))
        `match v { none -> respond status 404 }`          => (match v (none {(respond (status 404))}))
        `match v { x -> x + 1 }`                          => (match v (x {(+ x 1)}))
        `match v { x -> if x { 1 } else { 2 } }`          => (match v (x {(if x {1} {2})}))
        `match v {}`                                      => (match v)
        `let n = match v { _ -> 1 }`                      => (let n (match v (_ {1})))
        """)
    void arms(String source, String expected) {
        assertEquals(expected, Parse.body(source.replace("\\n", "\n")));
    }
}
