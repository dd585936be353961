package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, outbound answers over real sockets: a handler calls a local provider (the JDK's
 * HttpServer on 127.0.0.1) through the `http` effect and reads its answer with `r.json()` and
 * `Quote.fromJson(j)`; an answer of another shape, or not JSON at all, is an `err` the handler
 * answers itself, never a 500. A call to a host the configuration does not allow fails the
 * request with a problem document of its own type, `outbound-refused`.
 */
class LiveOutboundTest {
    private static final String APP = """
            config {
              ratesUrl: String
            }

            type Quote { currency: String, rate: Decimal }

            api GET /quotes/:currency {
              uses { http }
              let answer = http.send("GET", "${config.ratesUrl}/${currency}", {}, "")
              match answer.andThen(r -> r.json()).andThen(j -> Quote.fromJson(j)) {
                ok(q) -> respond json(q)
                err(e) -> respond status 502 json({ "error": e })
              }
            }

            api GET /elsewhere {
              uses { http }
              match http.send("GET", "http://127.0.0.2:9/x", {}, "") {
                ok(r) -> respond status r.status
                err(e) -> respond status 502 text(e)
              }
            }
            """;
    /** What the provider answers, by the last segment of the path. */
    private static final Map<String, String> ANSWERS = Map.of(
            "EUR", "{\"currency\": \"EUR\", \"rate\": 1.0850}",
            "USD", "{\"currency\": \"USD\", \"rate\": \"high\", \"source\": \"ecb\"}",
            "GBP", "<html>rate limited</html>");

    @TempDir Path dir;
    private com.sun.net.httpserver.HttpServer provider;
    private LiveApp app;

    @BeforeEach void start() throws Exception {
        provider = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        provider.createContext("/rates/", ex -> {
            String path = ex.getRequestURI().getPath();
            byte[] out = ANSWERS.getOrDefault(path.substring(path.lastIndexOf('/') + 1), "{}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        provider.start();
        String origin = "http://127.0.0.1:" + provider.getAddress().getPort();
        Program compiled = Program.load(Compiler.compile(List.of(new SourceFile("quotes.mnk", APP))));
        Config cfg = ConfigLoader.parse(dir.resolve("manaknight.toml"), """
                [http]
                allowed_hosts = ["%s"]
                allow_private = true
                timeout = "2s"
                [app]
                ratesUrl = "%s/rates"
                """.formatted(origin, origin), dir, Map.of());
        app = LiveApp.start(cfg.settings().bind(compiled), cfg);
    }

    @AfterEach void stop() {
        if (app != null) app.close();
        provider.stop(0);
    }

    @Test void aProvidersJsonIsReadIntoARecord() throws Exception {
        HttpResponse<String> r = app.send("GET", "/quotes/EUR");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"currency\":\"EUR\",\"rate\":1.0850}", r.body());
    }

    @Test void anAnswerOfAnotherShapeIsAnErrTheHandlerAnswers() throws Exception {
        HttpResponse<String> wrong = app.send("GET", "/quotes/USD");
        assertEquals(502, wrong.statusCode(), wrong.body());
        assertEquals("/rate must be a number; /source is not a field of this type", LiveApp.json(wrong).get("error").asText());
        HttpResponse<String> html = app.send("GET", "/quotes/GBP");
        assertEquals(502, html.statusCode(), html.body());
        assertEquals(true, LiveApp.json(html).get("error").asText().startsWith("Unexpected character ('<'"), html.body());
    }

    @Test void aCallToAHostNotAllowedIsAnOutboundRefusedProblem() throws Exception {
        HttpResponse<String> r = app.send("GET", "/elsewhere");
        assertEquals(500, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        var doc = LiveApp.json(r);
        assertEquals("https://manaknight.dev/problems/outbound-refused", doc.get("type").asText(), r.body());
        assertEquals(500, doc.get("status").asInt());
    }
}
