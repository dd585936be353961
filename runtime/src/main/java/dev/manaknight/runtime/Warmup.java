package dev.manaknight.runtime;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.diag.CompileException;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.effects.Database;
import dev.manaknight.runtime.effects.ResultMapper;
import dev.manaknight.runtime.effects.Transaction;
import dev.manaknight.runtime.json.TypeTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays the JVM's class loading before the ready line instead of inside the first request: a
 * tiny effect-free program goes through the whole request path (router, input decoder, the
 * interpreter, the JSON encoder, problem documents), and a read-only `SELECT 1` through the
 * database driver and the result mapper in a rolled-back transaction. Nothing is written.
 * The servers run it before they listen; the CGI wrapper's training run runs it so that the JDK's
 * AOT cache holds the request path's classes and call sites (fcgi.md, "CGI mode").
 */
public final class Warmup {
    /** Each request several times: the first loads classes, the next ones reach the common paths. */
    static final int ROUNDS = 3;

    private static final String SOURCE = """
            type Point { x: Int, label: String, size: Decimal, tags: List<String>, note: Option<String> }
            enum Shade { light, dark }

            fn total(n: Int, k: Int): Int {
              var t = 0
              for i in 0..n {
                t = t + i * k
              }
              t
            }

            api POST /warm/:n {
              query k: Int = 2
              query shade: Shade = Shade.light
              body p: Point
              let tags = p.tags.map(t -> t.upper()).filter(t -> t.len() > 0)
              match p.note {
                some(s) -> respond json(p with { x: total(n, k), label: "${p.label}:${s}", tags: tags })
                none -> respond status 201 json(p) headers { "X-Shade": "${shade}" }
              }
            }

            api GET /warm/:n {
              respond text("${n}")
            }
            """;
    private static final byte[] BODY = """
            {"x": 1, "label": "a", "size": 12.50, "tags": ["x", "y"], "note": "n"}"""
            .getBytes(StandardCharsets.UTF_8);

    /** The synthetic app's configuration: the defaults, no logs. */
    private static final Config CONFIG = new Config(null, null, Config.Server.DEFAULTS, Config.Limits.DEFAULTS,
            new Config.Db("sqlite::memory:", 1, null), new Config.Log("off", null, Duration.ZERO, false));

    private static final Logger LOG = LoggerFactory.getLogger("manaknight");

    private Warmup() {}

    /** Runs the synthetic requests and, when there is a database, the read-only query. Never throws. */
    public static void run(Module app, Database db) {
        try {
            Module module = Compiler.compile(List.of(new SourceFile("warmup.mnk", SOURCE)));
            List<Header> json = List.of(new Header("Content-Type", "application/json"));
            try (var d = Deployment.open(Program.trusted(module), CONFIG, Deployment.Setup.test(null))) {
                for (int i = 0; i < ROUNDS; i++) {
                    d.handle(Request.of("POST", "/warm/5?k=3&shade=dark", json, BODY, "warmup"));
                    d.handle(Request.of("POST", "/warm/x?k=y", json, new byte[] {'{'}, "warmup"));
                    d.handle(Request.of("HEAD", "/warm/1", List.of(), new byte[0], "warmup"));
                    d.handle(Request.of("GET", "/nowhere", List.of(), new byte[0], "warmup"));
                }
            }
            if (db != null) selectOne(app, db);
        } catch (CompileException | SQLException | IOException | RuntimeException e) {
            LOG.warn("warm-up skipped: {}", e.toString()); // only the first request gets slower
        }
    }

    private static void selectOne(Module app, Database db) throws SQLException {
        var mapper = new ResultMapper(new TypeTable(app));
        var tx = new Transaction(db);
        try {
            for (int i = 0; i < ROUNDS; i++) {
                tx.read(c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT 1 WHERE 1 = ?")) {
                        mapper.bind(ps, 1, Type.INT, 1L);
                        return mapper.map(Type.optionOf(Type.INT), ps, ps.execute());
                    }
                });
            }
        } catch (dev.manaknight.lang.vm.Host.EffectFailure e) {
            throw new SQLException(e.getMessage(), e);
        } finally {
            tx.rollback();
        }
    }
}
