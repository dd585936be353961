package dev.manaknight.lang.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table-driven: statement text in, s-expression out. `\n` in a row stands for a line break. */
class ExpressionTest {

    private static void check(String source, String expected) {
        assertEquals(expected, Parse.body(source.replace("\\n", "\n")), source);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
        a || b && c => (|| a (&& b c))
        a && b || c => (|| (&& a b) c)
        a == b && c != d => (&& (== a b) (!= c d))
        a < b == c >= d => (== (< a b) (>= c d))
        a + b * c => (+ a (* b c))
        a * b + c => (+ (* a b) c)
        a - b - c => (- (- a b) c)
        a / b % c => (% (/ a b) c)
        -a * b => (* (- a) b)
        !a && b => (&& (! a) b)
        - -a => (- (- a))
        -a.b(c) => (- (.b a c))
        (a + b) * c => (* (+ a b) c)
        a + b == c * d => (== (+ a b) (* c d))
        x.y.z => (. (. x y) z)
        f(a, b)(c) => ERR
        xs[0].name => (. (index xs 0) name)
        db.findUser(id)? => (? (.findUser db id))
        f(x)?.name => (. (? (f x)) name)
        u with { name: "x" } => (with u (name "x"))
        a + u with { n: 1 } => (+ a (with u (n 1)))
        m.with("k", 1) => (.with m "k" 1)
        Role.member => (. Role member)
        Role.suspended("late") => (.suspended Role "late")
        some(x) => (some x)
        none => none
        () => ()
        [1, 2, 3] => [1 2 3]
        [1,\\n 2,\\n] => [1 2]
        [] => []
        {} => (map)
        { "a": 1, "b": x + 1 } => (map ("a" 1) ("b" (+ x 1)))
        {\\n "a": 1\\n "b": 2\\n} => (map ("a" 1) ("b" 2))
        User { id: 1, name: n } => (record User (id 1) (name n))
        User { id, name } => (record User (id id) (name name))
        Event { type: "x" }.type => (. (record Event (type "x")) type)
        User {\\n id: 1\\n name: n,\\n} => (record User (id 1) (name n))
        xs.map(x -> x * 2) => (.map xs (lambda (x) (* x 2)))
        xs.fold(0, (a, b) -> a + b) => (.fold xs 0 (lambda (a b) (+ a b)))
        xs.map(_ -> 1) => (.map xs (lambda (_) 1))
        f(() -> 1) => (f (lambda () 1))
        f((a)) => (f a)
        if a { 1 } else { 2 } => (if a {1} {2})
        if a { 1 } else if b { 2 } else { 3 } => (if a {1} (if b {2} {3}))
        if a {\\n 1\\n}\\nelse {\\n 2\\n} => (if a {1} {2})
        let y = if c { 1 } else { 2 } => (let y (if c {1} {2}))
        let x: Int = 1 => (let x : Int 1)
        var t = 0.00 => (var t 0.00d)
        t = t + 1 => (= t (+ t 1))
        return => (return)
        return x => (return x)
        expect r.status == 404 => (expect (== (. r status) 404))
        for i in 0..n { f(i) } => (for i (.. 0 n) {(f i)})
        for x in xs { f(x) } => (for x xs {(f x)})
        for _ in xs { } => (for _ xs {})
        while i < n { i = i + 1 } => (while (< i n) {(= i (+ i 1))})
        while true { break } => (while true {(break)})
        for x in xs { if x { continue }\\n f(x) } => (for x xs {(if x {(continue)}); (f x)})
        let v = match o { some(v) -> v, none -> break } => (let v (match o ((some v) {v}) (none {(break)})))
        request GET "/users/999" => (request GET "/users/999")
        request POST "/u" json(User { id: 1 }) => (request POST "/u" (record User (id 1)))
        let r = request DELETE "/u/${id}" => (let r (request DELETE (str "/u/" id)))
        request.x => (. request x)
        request PUT "/u" text(s) headers { "A": k } => (request PUT "/u" (text s) (header "A" k))
        request GET "/u" headers {\\n "A": "1",\\n "B-C": b\\n} => (request GET "/u" (header "A" "1") (header "B-C" b))
        let r = request POST "/u" json(v)\\n headers { "A": "1" } => (let r (request POST "/u" v (header "A" "1")))
        a; b => a; b
        a;; b; => a; b
        """)
    void expressions(String source, String expected) {
        if (expected.equals("ERR")) {
            assertEquals(1, Parse.errors("test \"t\" {\n" + source + "\n}").size(), source);
            return;
        }
        check(source, expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
        123 => 123
        1_000 => 1000
        9223372036854775807 => 9223372036854775807
        -9223372036854775808 => -9223372036854775808
        12.50 => 12.50d
        0.00 => 0.00d
        1.5e3 => 1500.0f
        2e-3 => 0.002f
        1E+2 => 100.0f
        5.toString() => (.toString 5)
        true => true
        false => false
        `""` => ""
        `"a\\tb"` => "a\\tb"
        `"q\\"q"` => "q\\"q"
        `"\\$x \\\\"` => "$x \\\\"
        `"\\u{1F600}"` => "😀"
        `"price: $5"` => "price: $5"
        `"a ${b} c"` => (str "a " b " c")
        `"${a}${b}"` => (str a b)
        `"${u.name} <${u.email}>"` => (str (. u name) " <" (. u email) ">")
        `"x${ {"k": 1}.get("k") }y"` => (str "x" (.get (map ("k" 1)) "k") "y")
        `"n=${ "in${ner}" }"` => (str "n=" (str "in" ner))
        `"${ if a { "}" } else { "{" } }"` => (str (if a {"}"} {"{"}))
        `"${xs.map(x -> x + 1)}"` => (str (.map xs (lambda (x) (+ x 1))))
        """)
    void literals(String source, String expected) {
        check(source, expected);
    }

    /** A newline ends an expression unless the line ends with an operator, `,`, `=`, `->`, `(`,
     *  or the next line starts with `.`, `||`, `&&`. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
        a\\nb => a; b
        a +\\nb => (+ a b)
        a\\n-b => a; (- b)
        a\\n+ b => ERR
        let x =\\n 1 => (let x 1)
        f(a,\\n b) => (f a b)
        f(\\na\\n,\\nb\\n) => (f a b)
        (a\\n+ b) => (+ a b)
        [a\\n- b] => [(- a b)]
        xs\\n.map(x -> x)\\n.len() => (.len (.map xs (lambda (x) x)))
        a\\n|| b\\n&& c => (|| a (&& b c))
        a ||\\n b => (|| a b)
        xs.map(x ->\\n x) => (.map xs (lambda (x) x))
        f\\n(a) => f; a
        xs\\n[0] => xs; [0]
        x\\n? => ERR
        return\\nx => (return); x
        respond status 404\\nx => (respond (status 404)); x
        """)
    void newlines(String source, String expected) {
        if (expected.equals("ERR")) {
            assertEquals(1, Parse.errors("test \"t\" {\n" + source.replace("\\n", "\n") + "\n}").size(), source);
            return;
        }
        check(source, expected);
    }

    /** `{` after an `Upper` name is a record literal, except in the head of `if`, `match`, `for`. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
        if x == Limit { f() } => (if (== x Limit) {(f)})
        if x == (Point { x: 1 }) { f() } => (if (== x (record Point (x 1))) {(f)})
        if f(Point { x: 1 }) { g() } => (if (f (record Point (x 1))) {(g)})
        for p in Points { f(p) } => (for p Points {(f p)})
        while x == Limit { f() } => (while (== x Limit) {(f)})
        match Mode { _ -> 1 } => (match Mode (_ {1}))
        let p = Point { x: 1 } => (let p (record Point (x 1)))
        let m = { "k": Point { x: 1 } } => (let m (map ("k" (record Point (x 1)))))
        let p = Point\\n{ "k": 1 } => (let p Point); (map ("k" 1))
        let p = point { x: 1 } => ERR
        """)
    void recordOrBlock(String source, String expected) {
        if (expected.equals("ERR")) {
            assertEquals(1, Parse.errors("test \"t\" {\n" + source.replace("\\n", "\n") + "\n}").size(), source);
            return;
        }
        check(source, expected);
    }
}
