package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CGI entry point without a command line: APP and config from the environment (examples/users). */
class CgiMainTest {
    static final Path USERS = Path.of("../examples/users").toAbsolutePath().normalize();

    @TempDir Path dir;

    record Result(int code, String out, String err) {}

    Result run(Map<String, String> env, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = CgiMain.run(args, env, new ByteArrayInputStream(new byte[0]), out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Map<String, String> request(String uri) throws Exception {
        Path config = dir.resolve("cgi.toml");
        Files.writeString(config, """
                [db]
                url = "sqlite:%s"
                schema = "%s"
                [log]
                access = "off"
                """.formatted(dir.resolve("app.db"), USERS.resolve("schema.sql")));
        var env = new HashMap<String, String>();
        env.put("MANAKNIGHT_APP", USERS.toString());
        env.put("MANAKNIGHT_CONFIG", config.toString());
        env.put("REQUEST_METHOD", "GET");
        env.put("REQUEST_URI", uri);
        env.put("SERVER_PROTOCOL", "HTTP/1.1");
        return env;
    }

    @Test void answersTheRequestInItsEnvironment() throws Exception {
        Result r = run(request("/users/3"));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("Status: 200 OK\r\n"), r.out());
        assertTrue(r.out().endsWith("\r\n\r\n{\"id\":3,\"name\":\"Barbara Liskov\",\"email\":\"barbara@example.com\"}"), r.out());
        Result missing = run(request("/users/999"));
        assertTrue(missing.out().startsWith("Status: 404"), missing.out());
    }

    @Test void withoutTheAppVariableItIsAUsageError() throws Exception {
        var env = request("/users/3");
        env.remove("MANAKNIGHT_APP");
        Result r = run(env);
        assertEquals(64, r.code());
        assertEquals("manaknight: MANAKNIGHT_APP is not set: the app directory or .mkb to serve\n", r.err());
        assertEquals("", r.out());
    }

    @Test void takesNoArguments() throws Exception {
        Result r = run(request("/users/3"), USERS.toString());
        assertEquals(64, r.code());
        assertTrue(r.err().contains("manaknight cgi APP"), r.err());
    }

    @Test void aMissingAppFailsAsTheCgiCommandDoes() throws Exception {
        var env = request("/users/3");
        env.put("MANAKNIGHT_APP", dir.resolve("no-such-app").toString());
        Result r = run(env);
        assertEquals(74, r.code(), r.toString());
        assertEquals(Cli.run(AppLoader.standard(), "cgi", dir.resolve("no-such-app").toString()).err(), r.err());
    }
}
