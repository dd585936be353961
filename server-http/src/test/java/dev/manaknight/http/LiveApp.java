package dev.manaknight.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.AccessEntry;
import dev.manaknight.runtime.Deployment;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The live test app (`src/test/resources/live/app.mnk`) compiled by the real compiler, loaded
 * through the verifier, opened as a {@link Deployment} from a TOML config and served by
 * {@link HttpServer} on a free port; requests go over a real socket.
 */
final class LiveApp implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Program PROGRAM = compile();

    final HttpServer server;
    final Deployment core;
    private final List<AccessEntry> log;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LiveApp(Deployment core, HttpServer server, List<AccessEntry> log) {
        this.core = core;
        this.server = server;
        this.log = log;
    }

    private static Program compile() {
        try {
            return Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", resource("app.mnk")))));
        } catch (Exception e) {
            throw new IllegalStateException("the live app does not compile: " + e.getMessage(), e);
        }
    }

    static String resource(String name) {
        try (InputStream in = LiveApp.class.getResourceAsStream("/live/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SQLite in `dir` with the SQLite schema, plus `toml` (sections and keys of runtime.md's Configuration). */
    static LiveApp sqlite(Path dir, String toml) throws Exception {
        Files.writeString(dir.resolve("schema.sql"), resource("schema-sqlite.sql"));
        return start(dir, "[db]\nurl = \"sqlite:app.db\"\nschema = \"schema.sql\"\n" + toml);
    }

    /** The app with a config file `dir/manaknight.toml` holding `toml`. */
    static LiveApp start(Path dir, String toml) throws Exception {
        return start(PROGRAM, dir, toml);
    }

    /** Another program, e.g. an example, served the same way. */
    static LiveApp start(Program program, Path dir, String toml) throws Exception {
        return start(program, ConfigLoader.parse(dir.resolve("manaknight.toml"), toml, dir));
    }

    /** A program served with a config already loaded (e.g. with app settings bound from the environment). */
    static LiveApp start(Program program, Config cfg) throws Exception {
        List<AccessEntry> log = Collections.synchronizedList(new ArrayList<>());
        var metrics = new ServeMetrics();
        Deployment core = Deployment.open(program, cfg, Deployment.Setup.server(null, metrics).withAccessLog(log::add));
        var o = HttpServer.Options.of(cfg);
        HttpServer server = HttpServer.start(core, new HttpServer.Options("127.0.0.1", 0, 2, o.maxConnections(), o.idleTimeout(),
                Duration.ofSeconds(5), o.transport()), metrics);
        return new LiveApp(core, server, log);
    }

    /** Every access-log entry so far. */
    List<AccessEntry> entries() { return List.copyOf(log); }

    /** The access-log entry of the response's `X-Request-Id`. */
    AccessEntry entry(HttpResponse<?> r) {
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        return entries().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
    }

    HttpResponse<String> send(String method, String path) throws Exception {
        return send(method, path, null, null);
    }

    HttpResponse<String> send(String method, String path, String body, String contentType) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(20));
        if (contentType != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String path, String body) throws Exception {
        return send("POST", path, body, "application/json");
    }

    /** A POST of `body` (JSON) with one more header, `name: value`. */
    HttpResponse<String> postJson(String path, String body, String name, String value) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header(name, value).POST(HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException { return JSON.readTree(r.body()); }

    @Override public void close() {
        server.close();
        core.close();
    }
}
