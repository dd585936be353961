package dev.manaknight.runtime.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import dev.manaknight.runtime.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final Router router = new Router(List.of(
            Fixtures.route(HttpMethod.GET, "/users/:id", 0, 0, Fixtures.path("id", Type.INT)),
            Fixtures.route(HttpMethod.POST, "/users/me", 1, 0),
            Fixtures.route(HttpMethod.GET, "/users/me/avatar", 2, 0),
            Fixtures.route(HttpMethod.DELETE, "/users/:id", 3, 0),
            Fixtures.route(HttpMethod.GET, "/users/:uid/posts/:pid", 4, 0),
            Fixtures.route(HttpMethod.GET, "/", 5, 0)));

    private RouteMatch.Found found(String method, String path) {
        return assertInstanceOf(RouteMatch.Found.class, router.match(method, path));
    }

    @Test void paramsAreExtracted() {
        var f = found("GET", "/users/42/posts/7");
        assertEquals(4, f.route().handler());
        assertEquals(Map.of("uid", "42", "pid", "7"), f.params());
    }

    @Test void literalBeatsParamForTheSameMethod() {
        assertEquals(1, found("POST", "/users/me").route().handler());
    }

    @Test void aLiteralForAnotherMethodDoesNotHideTheParamRoute() {
        var f = found("GET", "/users/me");
        assertEquals(0, f.route().handler());
        assertEquals(Map.of("id", "me"), f.params());
    }

    @Test void noPathIs404() {
        assertInstanceOf(RouteMatch.NotFound.class, router.match("GET", "/nope"));
        assertInstanceOf(RouteMatch.NotFound.class, router.match("GET", "/users/1/extra"));
        assertInstanceOf(RouteMatch.NotFound.class, router.match("GET", "/users/"));
    }

    @Test void wrongMethodIs405WithSortedAllowIncludingHead() {
        var m = assertInstanceOf(RouteMatch.MethodNotAllowed.class, router.match("PUT", "/users/5"));
        assertEquals(List.of("DELETE", "GET", "HEAD"), m.allow());
        var me = assertInstanceOf(RouteMatch.MethodNotAllowed.class, router.match("PATCH", "/users/me"));
        assertEquals(List.of("DELETE", "GET", "HEAD", "POST"), me.allow());
    }

    @Test void headIsServedByGet() {
        var f = found("HEAD", "/users/3");
        assertEquals(HttpMethod.GET, f.route().method());
        assertEquals(true, f.head());
        assertEquals(false, found("GET", "/users/3").head());
    }

    @Test void rootPath() {
        assertEquals(5, found("GET", "/").route().handler());
    }

    @Test void segmentsArePercentDecodedAfterSplitting() {
        assertEquals(Map.of("id", "a/b c"), found("GET", "/users/a%2Fb%20c").params());
        assertEquals(Map.of("id", "é"), found("GET", "/users/%C3%A9").params());
    }

    @Test void malformedEscapesAreBadPaths() {
        assertInstanceOf(RouteMatch.BadPath.class, router.match("GET", "/users/%zz"));
        assertInstanceOf(RouteMatch.BadPath.class, router.match("GET", "/users/%C3"));
        assertInstanceOf(RouteMatch.BadPath.class, router.match("GET", "/users/%4"));
    }

    /**
     * Issue 12: a raw non-ASCII byte in the target (`serve` reads it as Latin-1, FastCGI and CGI
     * as UTF-8 or U+FFFD) was served as a mojibake segment while its escaped form `%ff` was a
     * 400; a raw control character was served too. Each is a bad path now, like the escape.
     */
    @Test void rawNonAsciiControlsAndSpacesAreBadPathsLikeTheirEscapes() {
        for (String raw : List.of("/users/\u00ff\u00fe", "/users/\u00e9", "/users/\ufffd", "/users/a\u0000b", "/users/\u0001",
                "/users/\u001f", "/users/\u007f", "/users/\t", "/users/a b", "/\u00ff")) {
            var bad = assertInstanceOf(RouteMatch.BadPath.class, router.match("GET", raw), raw);
            assertTrue(bad.detail().startsWith("has a raw "), bad.detail());
            assertTrue(bad.detail().chars().allMatch(c -> c >= 0x20 && c < 0x7F), "the detail does not echo the character: " + bad.detail());
        }
        assertInstanceOf(RouteMatch.BadPath.class, router.match("GET", "/users/%ff%fe"));
        assertEquals("has a raw non-ASCII character (U+00FF); a request target is ASCII, anything else percent-encoded",
                ((RouteMatch.BadPath) router.match("GET", "/users/\u00ff")).detail());
        // at the edges of visible ASCII: `!` and `~` pass
        assertEquals(Map.of("id", "!~"), found("GET", "/users/!~").params());
    }
}
