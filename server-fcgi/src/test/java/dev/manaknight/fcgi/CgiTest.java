package dev.manaknight.fcgi;

import static org.junit.jupiter.api.Assertions.*;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.Header;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.Request;
import dev.manaknight.runtime.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CGI meta-variables to requests, replies to CGI documents, and one CGI run end to end. */
class CgiTest {
    @TempDir Path dir;

    @Test void requestUriGivesPathAndQuery() {
        Request r = CgiEnvironment.toRequest(Map.of("REQUEST_METHOD", "POST", "REQUEST_URI", "/users/%C3%A9?limit=2&x",
                "QUERY_STRING", "limit=2&x", "HTTP_ACCEPT_LANGUAGE", "en", "HTTP_X_REQUEST_ID", "abc",
                "CONTENT_TYPE", "application/json", "CONTENT_LENGTH", "2", "REMOTE_ADDR", "10.0.0.1", "REMOTE_PORT", "5555"),
                "{}".getBytes());
        assertEquals("POST", r.method());
        assertEquals("/users/%C3%A9", r.rawPath(), "still percent-encoded: the router decodes per segment");
        assertEquals("limit=2&x", r.query());
        assertEquals("en", r.header("Accept-Language"));
        assertEquals("abc", r.header("X-Request-Id"));
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("2", r.header("Content-Length"));
        assertEquals("10.0.0.1:5555", r.remoteAddress());
    }

    @Test void withoutRequestUriScriptNameAndPathInfo() {
        Request r = CgiEnvironment.toRequest(Map.of("REQUEST_METHOD", "GET", "SCRIPT_NAME", "/users", "PATH_INFO", "/7",
                "QUERY_STRING", "a=1"), new byte[0]);
        assertEquals("/users/7", r.rawPath());
        assertEquals("a=1", r.query());
        Request q = CgiEnvironment.toRequest(Map.of("REQUEST_URI", "/x?y=1"), new byte[0]);
        assertEquals("GET", q.method());
        assertEquals("y=1", q.query(), "the query from REQUEST_URI when QUERY_STRING is absent");
        assertEquals(List.of(), q.headers());
        assertEquals("/", CgiEnvironment.toRequest(Map.of(), new byte[0]).rawPath());
    }

    @Test void replyAsACgiDocument() {
        var out = new String(CgiOutput.of(new Reply(404, List.of(new Header("Content-Type", "text/plain")), "no".getBytes())),
                StandardCharsets.UTF_8);
        assertEquals("Status: 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nno", out);
        var head = new String(CgiOutput.of(new Reply(200, List.of(new Header("Content-Length", "10")), new byte[0])), StandardCharsets.UTF_8);
        assertEquals("Status: 200 OK\r\nContent-Length: 10\r\n\r\n", head, "a HEAD reply keeps the GET length");
        assertTrue(new String(CgiOutput.of(new Reply(413, List.of(), new byte[0]))).startsWith("Status: 413 Content Too Large\r\n"));
    }

    String run(Map<String, String> env, String stdin) throws Exception {
        Path app = dir.resolve("app");
        Files.createDirectories(app);
        Files.copy(Path.of("src/test/resources/apps/v1/app.mnk"), app.resolve("app.mnk"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("cgi.toml"), "app = \"app\"\n[limits]\nbody = \"64B\"\n[log]\naccess = \"stderr\"\n");
        var config = ConfigLoader.load(null, dir.resolve("cgi.toml"));
        var program = Program.load(Compiler.compile(Compiler.loadSources(app)));
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        CgiRunner.run(program, config, env, new ByteArrayInputStream(stdin.getBytes()), out, new PrintStream(err, true));
        if (!out.toString().startsWith("Status: 413")) // refused before the core: no VM, no access-log line
            assertTrue(err.toString().contains("\"path\":\"" + env.get("REQUEST_URI").replaceFirst("\\?.*", "") + "\""),
                    "the access log is on stderr: " + err);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test void oneCgiRequestEndToEnd() throws Exception {
        assertTrue(run(Map.of("REQUEST_METHOD", "GET", "REQUEST_URI", "/version"), "").matches(
                "Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nX-Request-Id: [^\r]+\r\nContent-Length: 2\r\n\r\nv1"));
        var env = new HashMap<>(Map.of("REQUEST_METHOD", "POST", "REQUEST_URI", "/notes", "CONTENT_TYPE", "application/json",
                "CONTENT_LENGTH", "13"));
        String post = run(env, "{\"text\":\"ok\"}trailing bytes are not read");
        assertTrue(post.startsWith("Status: 201 Created\r\n"), post);
        assertTrue(post.endsWith("\r\n\r\n{\"text\":\"ok\"}"), post);
    }

    /**
     * Issue 12: the JVM reads the environment's bytes as UTF-8 (or the locale's charset), so raw
     * 0xff in REQUEST_URI arrives as U+FFFD and raw UTF-8 as its character; either was routed.
     * Any raw non-ASCII in the target is a 400 now, like its escaped form.
     */
    @Test void rawNonAsciiInTheRequestUriIsA400() throws Exception {
        for (String uri : List.of("/version\ufffd", "/version\u00e9", "/version%ff")) {
            String out = run(Map.of("REQUEST_METHOD", "GET", "REQUEST_URI", uri), "");
            assertTrue(out.startsWith("Status: 400 Bad Request\r\n"), uri + ": " + out);
            assertTrue(out.contains("\"pointer\":\"/path\""), out);
        }
    }

    /** The wrapper's AOT-cache training run warms the request path first; stdout is still only its one answer. */
    @Test void theAotTrainingRunAnswersItsRequestAlone() throws Exception {
        String out = run(Map.of("REQUEST_METHOD", "GET", "REQUEST_URI", "/version", CgiRunner.AOT_TRAINING, "1"), "");
        assertTrue(out.matches("Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nX-Request-Id: [^\r]+\r\n"
                + "Content-Length: 2\r\n\r\nv1"), out);
    }

    /**
     * The database is opened at the first query, not at start: with a database that cannot be
     * opened, a request the router answers (404, 400) still gets its answer, and one that queries
     * fails alone, as a 503 (`database-unavailable`, issue 12) with the reason in the log.
     */
    @Test void theDatabaseIsOpenedOnlyByARequestThatQueries() throws Exception {
        Path app = dir.resolve("users");
        Files.createDirectories(app);
        for (String f : List.of("users.mnk", "schema.sql"))
            Files.copy(Path.of("../examples/users", f), app.resolve(f));
        Files.writeString(dir.resolve("users.toml"), """
                app = "users"
                [db]
                url = "sqlite:%s"
                schema = "users/schema.sql"
                [log]
                access = "off"
                """.formatted(dir.resolve("no-such-dir/app.db")));
        var config = ConfigLoader.load(null, dir.resolve("users.toml"));
        var program = Program.load(Compiler.compile(Compiler.loadSources(app)));
        var err = new ByteArrayOutputStream(); // the access log; the reason of the 500 goes to the process's stderr
        java.util.function.Function<String, String> get = uri -> {
            var out = new ByteArrayOutputStream();
            try {
                CgiRunner.run(program, config, Map.of("REQUEST_METHOD", "GET", "REQUEST_URI", uri),
                        new ByteArrayInputStream(new byte[0]), out, new PrintStream(err, true));
            } catch (Exception e) {
                throw new AssertionError(uri + ": " + e, e);
            }
            return out.toString(StandardCharsets.UTF_8);
        };
        assertTrue(get.apply("/nope").startsWith("Status: 404 Not Found\r\n"));
        assertTrue(get.apply("/users/abc").startsWith("Status: 400 Bad Request\r\n"));
        assertFalse(Files.exists(dir.resolve("no-such-dir")));
        String failed = get.apply("/users/1");
        assertTrue(failed.startsWith("Status: 503 Service Unavailable\r\n"), failed);
        assertTrue(failed.contains("\r\nRetry-After: 1\r\n"), failed);
        assertTrue(failed.contains("/problems/database-unavailable"), failed);
    }

    @Test void aBodyOverTheLimitIs413WithoutReadingIt() throws Exception {
        String out = run(Map.of("REQUEST_METHOD", "POST", "REQUEST_URI", "/notes", "CONTENT_TYPE", "application/json",
                "CONTENT_LENGTH", "65"), "x".repeat(65));
        assertTrue(out.startsWith("Status: 413 Content Too Large\r\n"), out);
    }
}
