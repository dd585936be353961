package dev.manaknight.fcgi;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: the workstation pair of examples/nginx. local.toml's socket was not the one the nginx
 * example passes to, and there was no way to try nginx in front of `fpm` without root; now
 * local-nginx.conf is a whole nginx configuration for local.toml's socket, and the walk-through in
 * its header (and in the tutorial) is run here as written, paths aside.
 */
class NginxLocalTest {
    static final Path LOCAL_TOML = Nginx.EXAMPLES.resolve("local.toml");
    static final Path USERS = Path.of("../examples/users").toAbsolutePath().normalize();

    @TempDir Path dir;

    @Test void localTomlAndLocalNginxConfNameOneSocket() throws Exception {
        Config cfg = ConfigLoader.load(null, LOCAL_TOML);
        assertEquals("unix:" + Nginx.LOCAL_SOCKET, cfg.server().listen());
        String nginx = Files.readString(Nginx.EXAMPLES.resolve("local-nginx.conf"));
        assertTrue(nginx.contains("fastcgi_pass unix:" + Nginx.LOCAL_SOCKET + ";"), nginx);
        assertEquals("0666", cfg.server().socketMode(), "nginx's workers (another user) must be able to connect");
    }

    /** local.toml (its socket, app and database in a private folder) behind local-nginx.conf. */
    @Test void theWalkThroughServesTheUsersExample() throws Exception {
        assumeTrue(Nginx.binary() != null, "nginx is not installed (bash .ci/nginx.sh installs it)");
        Path sock = dir.resolve("fpm.sock");
        String toml = Files.readString(LOCAL_TOML);
        for (String s : List.of("unix:" + Nginx.LOCAL_SOCKET, "\"../users\"", "sqlite:../users/app.db", "../users/schema.sql"))
            assertTrue(toml.contains(s), "local.toml no longer says " + s);
        Path config = dir.resolve("local.toml");
        Files.writeString(config, toml.replace("unix:" + Nginx.LOCAL_SOCKET, "unix:" + sock)
                .replace("\"../users\"", "\"" + USERS + "\"")
                .replace("sqlite:../users/app.db", "sqlite:" + dir.resolve("app.db"))
                .replace("../users/schema.sql", USERS.resolve("schema.sql").toString()));
        try (FpmProcess fpm = FpmProcess.start(config, false, dir.resolve("fpm.err"));
             Nginx nginx = Nginx.startLocal(dir.resolve("nginx"), sock)) {
            var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + nginx.portOff;
            var ok = http.send(HttpRequest.newBuilder(URI.create(base + "/users/1")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body() + nginx.errorLog());
            assertEquals("{\"id\":1,\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\"}", ok.body());
            assertEquals("application/json", ok.headers().firstValue("Content-Type").orElse(""));
            var status = http.send(HttpRequest.newBuilder(URI.create(base + "/fpm-status")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, status.statusCode(), status.body());
            assertTrue(status.body().contains("accepted conn"), status.body());
        }
    }
}
