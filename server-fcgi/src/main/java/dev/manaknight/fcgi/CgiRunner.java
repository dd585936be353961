package dev.manaknight.fcgi;

import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.Refusal;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.Request;
import dev.manaknight.runtime.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Map;

/**
 * CGI mode (RFC 3875): one request from the environment and stdin through the same core and
 * limits as `serve` and `fpm`, its CGI response on stdout. Built for a short life: one plain
 * JDBC connection instead of a pool, the access log on stderr (stdout is the response).
 */
public final class CgiRunner {
    private CgiRunner() {}

    /**
     * Set (to anything) only by examples/nginx/manaknight-cgi's background run that records the
     * JDK AOT cache: the deployment then also runs its warm-up's synthetic requests and read-only
     * query, so the cache holds the classes and call sites of a real request path. The training
     * request itself is for a path no app serves, since a real one might write.
     */
    static final String AOT_TRAINING = "MANAKNIGHT_AOT_TRAINING";

    public static void run(Program program, Config config, Map<String, String> env, InputStream stdin, OutputStream stdout,
                           PrintStream stderr) throws IOException, SQLException {
        long limit = config.limits().body();
        byte[] body = readBody(env, stdin, limit);
        Reply reply;
        // The database is opened at the first query: a request that makes none skips the JDBC
        // driver, the file and the schema check (a route without `db`, a 404, a 400).
        try (var app = Deployment.open(program, config, Deployment.Setup.cgi(stderr, env.containsKey(AOT_TRAINING)))) {
            Request req = CgiEnvironment.toRequest(env, body == null ? new byte[0] : body);
            reply = body == null ? app.refuse(req, new Refusal.BodyTooLarge(limit)) : app.handle(req);
        }
        stdout.write(CgiOutput.of(reply));
        stdout.flush();
    }

    /** RFC 3875 §4.2: exactly CONTENT_LENGTH bytes of stdin, none without it; null past the limit. */
    static byte[] readBody(Map<String, String> env, InputStream stdin, long limit) throws IOException {
        String length = env.get("CONTENT_LENGTH");
        if (length == null || length.isBlank()) return new byte[0];
        long n;
        try {
            n = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return new byte[0];
        }
        if (n > limit) return null;
        return stdin.readNBytes((int) Math.max(0, n));
    }
}
