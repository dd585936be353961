package dev.manaknight.lang.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.manaknight.lang.syntax.ast.Decl;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Declarations, API paths, `respond` forms and body preludes. */
class DeclarationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
        `type User { id: Int, name: String }`                 => (type User (id Int) (name String))
        `type User {\\n id: Int\\n name: String,\\n}`         => (type User (id Int) (name String))
        `type Empty {}`                                       => (type Empty)
        `type Event { type: String, match: Int }`             => (type Event (type String) (match Int))
        `type Page { items: List<User>, next: Option<Int> }`  => (type Page (items List<User>) (next Option<Int>))
        `type R { r: Result<List<Map<Int>>, String> }`        => (type R (r Result<List<Map<Int>>, String>))
        `enum Role { admin, member, suspended(reason: String) }` => (enum Role admin member (suspended (reason String)))
        `enum Shape {\\n circle(r: Decimal)\\n rect(w: Decimal, h: Decimal)\\n}` => (enum Shape (circle (r Decimal)) (rect (w Decimal) (h Decimal)))
        `const PAGE_SIZE = 50`                                => (const PAGE_SIZE 50)
        `const LIMIT: Int = PAGE_SIZE * 2`                    => (const LIMIT : Int (* PAGE_SIZE 2))
        `fn f() { }`                                          => (fn f () {})
        `fn add(a: Int, b: Int): Int { a + b }`               => (fn add ((a Int) (b Int)) : Int {(+ a b)})
        `fn f(\\n a: Int,\\n b: Int,\\n): Int {\\n a\\n}`      => (fn f ((a Int) (b Int)) : Int {a})
        `fn g(): Unit {\\n uses { log }\\n log.info("x")\\n}`  => (fn g () : Unit (uses log) {(.info log "x")})
        `fn g() {\\n uses {\\n db\\n clock\\n }\\n}`           => (fn g () (uses db clock) {})
        `fn auth(): User {\\n uses { db, respond }\\n u\\n}` => (fn auth () : User (uses db respond) {u})
        `fn d(): Never {\\n uses { respond }\\n respond status 4\\n}` => (fn d () : Never (uses respond) {(respond (status 4))})
        `db {\\n a(): Int = "SELECT 1"\\n b(x: Int): Unit =\\n   "DELETE FROM t WHERE x = :x"\\n}` => (db (a () Int "SELECT 1") (b ((x Int)) Unit "DELETE FROM t WHERE x = :x"))
        `db {}`                                               => (db)
        `test "works" { expect 1 == 1 }`                      => (test "works" {(expect (== 1 1))})
        `test "db" {\\n uses { db }\\n expect db.count() == 0\\n}` => (test "db" (uses db) {(expect (== (.count db) 0))})
        `api DELETE / { respond status 204 }`                 => (api DELETE / {(respond (status 204))})
        """)
    void declarations(String source, String expected) {
        assertEquals(expected, Parse.clean(source.replace("\\n", "\n")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
        /                          => /
        /users                     => /users
        /users/:id                 => /users/:id
        /a-b/c_d/e.f/g~h/:x1/v2    => /a-b/c_d/e.f/g~h/:x1/v2
        /users/:id/posts/:postId   => /users/:id/posts/:postId
        """)
    void paths(String path, String expected) {
        var api = (Decl.ApiDecl) Parse.onlyDecl("api GET " + path + " {\n  respond status 200\n}\n");
        assertEquals(expected, api.pathText());
        assertEquals(path, api.pathSpan().file().text().substring(api.pathSpan().start(), api.pathSpan().end()));
        for (Decl.PathSegment s : api.path()) {
            if (s instanceof Decl.PathSegment.Param p) {
                assertEquals(p.name().name(), api.pathSpan().file().text()
                        .substring(p.name().span().start(), p.name().span().end()));
            }
        }
    }

    @Test
    void pathWithoutSpaceBeforeBrace() {
        var api = (Decl.ApiDecl) Parse.onlyDecl("api PUT /users/:id{ respond status 200 }");
        assertEquals("/users/:id", api.pathText());
        assertEquals(List.of("users", ":id"), api.path().stream().map(Object::toString).toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
        /users/                  => 1:15 E0115 a path does not end with `/`
        /users//x                => 1:16 E0115 empty path segment
        /users?x=1               => 1:15 E0115 `?` is not allowed in a path
        /users/{id}              => 1:16 E0115 path parameters are written `:id`
        /users/:                 => 1:16 E0115 invalid path parameter `:`
        /users/:1d               => 1:16 E0115 invalid path parameter `:1d`
        users/:id                => 1:9 E0115 a path starts with `/`
        /caf\u00e9               => 1:13 E0115 `\u00e9` is not allowed in a path
        """)
    void badPaths(String path, String error) {
        assertEquals(List.of(error), Parse.errors("api GET " + path + " {\n  respond status 200\n}\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
        FETCH    => 1:5 E0114 unknown HTTP method `FETCH`|the methods are GET, POST, PUT, PATCH, DELETE
        get      => 1:5 E0114 unknown HTTP method `get`|methods are written in capitals: `GET`
        HEAD     => 1:5 E0114 unknown HTTP method `HEAD`|HEAD is answered from the GET route automatically
        """)
    void badMethods(String method, String expected) {
        var r = Parse.file("api " + method + " /x {\n  respond status 200\n}\n");
        assertEquals(1, r.diagnostics().size());
        var d = r.diagnostics().getFirst();
        assertEquals(expected, d.span().line() + ":" + d.span().column() + " " + d.code() + " " + d.title() + "|" + d.hint());
        assertEquals(List.of(), r.unit().decls(), "an api with a bad method is dropped");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
        respond json(user)                              => (respond (json user))
        respond text("hi")                              => (respond (text "hi"))
        respond status 404                              => (respond (status 404))
        respond status NOT_FOUND                        => (respond (status NOT_FOUND))
        respond status (code + 1)                       => (respond (status (+ code 1)))
        respond status 201 json(tx)                     => (respond (status 201) (json tx))
        respond status 422 text("no")                   => (respond (status 422) (text "no"))
        respond json(x) headers { "A": 1, "B": y }      => (respond (json x) (headers ("A" 1) ("B" y)))
        respond status 201 json(tx) headers { "Location": "/t/${tx.id}" } => (respond (status 201) (json tx) (headers ("Location" (str "/t/" (. tx id)))))
        respond status 204 headers {\\n "A": 1\\n "B": 2\\n} => (respond (status 204) (headers ("A" 1) ("B" 2)))
        respond json(x)\\n  headers { "A": 1 }          => (respond (json x) (headers ("A" 1)))
        respond json({ "ok": true })                    => (respond (json (map ("ok" true))))
        respond keep status 401 text("no")              => (respond keep (status 401) (text "no"))
        respond keep json(x)                            => (respond keep (json x))
        respond status keep                             => (respond (status keep))
        """)
    void respondForms(String source, String expected) {
        assertEquals(expected, Parse.body(source.replace("\\n", "\n")));
    }

    @Test
    void respondNeedsAStatusOrABody() {
        assertEquals(List.of("2:9 E0110 expected `json(…)`, `text(…)` or `status N` after `respond`, found `x`"),
                Parse.errors("test \"t\" {\nrespond x\n}"));
        // issue 14: `keep` is a modifier, not a response
        assertEquals(List.of("2:13 E0110 expected `json(…)`, `text(…)` or `status N` after `respond`, found `}`"),
                Parse.errors("test \"t\" {\nrespond keep\n}"));
    }

    @Test
    void apiPrelude() {
        var api = (Decl.ApiDecl) Parse.onlyDecl("""
                api GET /items {
                  uses { db }
                  query limit: Int = 20
                  query body: String
                  let body = 1
                  body = body + limit
                  respond json(body)
                }
                """);
        assertEquals(2 , api.inputs().size());
        assertEquals(Decl.InputKind.QUERY, api.inputs().get(1).kind());
        assertEquals("body", api.inputs().get(1).name().name());
        assertNull(api.inputs().get(1).defaultValue());
        assertEquals("{(let body 1); (= body (+ body limit)); (respond (json body))}", AstPrinter.block(api.body()));
    }

    @Test
    void inputsAndUsesOutOfPlace() {
        assertEquals(List.of("2:3 E0119 `param` inputs are only declared at the top of an `api` body"),
                Parse.errors("fn f() {\n  param id: Int\n}"));
        assertEquals(List.of("3:3 E0119 `uses` must come first in the body"),
                Parse.errors("api GET /x {\n  let a = 1\n  uses { db }\n  respond status 200\n}"));
    }

    @Test
    void sqlInterpolationIsRejectedWithAHint() {
        var r = Parse.file("db {\n  find(id: Int): Int = \"SELECT x FROM t WHERE id = ${id}\"\n}\n");
        assertEquals(1, r.diagnostics().size());
        var d = r.diagnostics().getFirst();
        assertEquals("E0116", d.code());
        assertEquals(2, d.span().line());
        assertEquals(true, d.hint().contains(":name"), d.hint());
    }
}
