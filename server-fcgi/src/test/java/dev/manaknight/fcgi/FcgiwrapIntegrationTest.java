package dev.manaknight.fcgi;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** CGI mode behind a real nginx and fcgiwrap (examples/nginx/manaknight-cgi.conf); skipped when either is missing. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FcgiwrapIntegrationTest {
    @TempDir Path dir;

    static String fcgiwrap() {
        for (String p : new String[] {"/usr/sbin/fcgiwrap", "/usr/bin/fcgiwrap"}) if (Files.isExecutable(Path.of(p))) return p;
        return null;
    }

    @Test void usersThroughNginxAndFcgiwrap() throws Exception {
        assumeTrue(Nginx.binary() != null && fcgiwrap() != null, "nginx or fcgiwrap is not installed (bash .ci/nginx.sh)");
        Path users = Path.of("../examples/users").toAbsolutePath().normalize();
        Path config = dir.resolve("cgi.toml");
        Files.writeString(config, """
                app = "%s"
                [db]
                url = "sqlite:app.db"
                schema = "%s"
                [log]
                access = "off"
                """.formatted(users, users.resolve("schema.sql")));
        // What fcgiwrap runs per request: `manaknight cgi` (here its test twin on this class path).
        Path script = dir.resolve("manaknight-cgi");
        String java = ProcessHandle.current().info().command().orElse("java");
        Files.writeString(script, "#!/bin/sh\nexec '%s' --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '%s' %s '%s' 2>>'%s'\n"
                .formatted(java, System.getProperty("java.class.path"), CgiProcessMain.class.getName(), config, dir.resolve("cgi.err")));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path sock = dir.resolve("fcgiwrap.sock");
        Process wrap = new ProcessBuilder(fcgiwrap(), "-s", "unix:" + sock).redirectErrorStream(true)
                .redirectOutput(dir.resolve("fcgiwrap.out").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(sock) && System.nanoTime() < deadline) Thread.sleep(20);
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
            try (Nginx nginx = Nginx.startCgi(dir.resolve("nginx"), sock, script)) {
                var http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + nginx.portOff;
                var ok = http.send(HttpRequest.newBuilder(URI.create(base + "/users/3")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ok.statusCode(), ok.body() + nginx.errorLog());
                assertEquals("{\"id\":3,\"name\":\"Barbara Liskov\",\"email\":\"barbara@example.com\"}", ok.body());
                var post = http.send(HttpRequest.newBuilder(URI.create(base + "/users")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Cee\",\"email\":\"cee@example.com\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(201, post.statusCode(), post.body() + nginx.errorLog());
                assertEquals("/users/4", post.headers().firstValue("Location").orElse(""));
                var bad = http.send(HttpRequest.newBuilder(URI.create(base + "/users/x")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(400, bad.statusCode());
                assertEquals("application/problem+json", bad.headers().firstValue("Content-Type").orElse(""));
            }
        } finally {
            wrap.destroy();
            wrap.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
