package dev.manaknight.fcgi;

import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.AccessLog;
import dev.manaknight.runtime.LineSink;
import dev.manaknight.runtime.Problem;
import dev.manaknight.runtime.Reply;
import dev.manaknight.runtime.RequestCore;
import dev.manaknight.runtime.VmExecutor;
import dev.manaknight.runtime.Warmup;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.effects.Database;
import dev.manaknight.runtime.effects.LazyDatabase;
import dev.manaknight.runtime.effects.PooledDatabase;
import dev.manaknight.runtime.effects.Schema;
import dev.manaknight.runtime.effects.SingleConnectionDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * CGI mode (RFC 3875): one request from the environment and stdin through the same core and
 * limits as `serve` and `fpm`, its CGI response on stdout. Built for a short life: one plain
 * JDBC connection instead of a pool, the access log on stderr (stdout is the response).
 */
public final class CgiRunner {
    private CgiRunner() {}

    /**
     * Set (to anything) only by examples/nginx/manaknight-cgi's background run that records the
     * JDK AOT cache: before its request, the process also runs {@link Warmup}'s synthetic requests
     * and read-only query, so the cache holds the classes and call sites of a real request path.
     * The training request itself is for a path no app serves, since a real one might write.
     */
    static final String AOT_TRAINING = "MANAKNIGHT_AOT_TRAINING";

    /** SQLite waits this long for another process's write lock: CGI requests are separate processes. */
    static final int SQLITE_BUSY_TIMEOUT_MS = 5000;

    public static void run(Program program, Config config, Map<String, String> env, InputStream stdin, OutputStream stdout,
                           PrintStream stderr) throws IOException, SQLException {
        Reply reply;
        long limit = config.limits().body();
        byte[] body = readBody(env, stdin, limit);
        // stdout carries the response, so a "stdout" access log goes to stderr.
        AccessLog log = switch (config.log().access()) {
            case "off" -> AccessLog.NONE;
            case "stdout", "stderr" -> AccessLog.json(new LineSink(stderr, false));
            default -> AccessLog.json(new LineSink(new java.io.FileOutputStream(config.log().access(), true), true));
        };
        try (log) {
            if (body == null) {
                reply = Problem.tooLarge(limit).reply();
            } else {
                // Opened at the first query: a request that makes none skips the JDBC driver,
                // the file and the schema check (a route without `db`, a 404, a 400).
                Database db = RequestCore.usesDatabase(program.module()) ? new LazyDatabase(() -> database(config)) : null;
                if (env.containsKey(AOT_TRAINING)) Warmup.run(program.module(), db);
                try (RequestCore core = new RequestCore(program.module(), new VmExecutor(program, config.limits().vm()),
                        db, new RequestCore.Options(limit, config.limits().timeout(), config.log().dev()), log)) {
                    reply = core.handle(CgiEnvironment.toRequest(env, body));
                }
            }
        }
        stdout.write(CgiOutput.of(reply));
        stdout.flush();
    }

    /** One connection (no pool to start and stop), the schema applied when the database is empty. */
    private static Database database(Config config) throws SQLException, IOException {
        String url = PooledDatabase.jdbcUrl(config.db().url());
        var props = new Properties();
        if (url.startsWith("jdbc:sqlite:")) {
            props.setProperty("journal_mode", "WAL");
            props.setProperty("busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MS));
            props.setProperty("foreign_keys", "true");
        }
        return Schema.prepare(new SingleConnectionDatabase(DriverManager.getConnection(url, props)), config.db().schema());
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
