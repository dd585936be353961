package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.manaknight.runtime.config.Config;
import dev.manaknight.runtime.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: examples/cluster is what a user copies, so its files must be what they say: the
 * configs load, HAProxy and nginx accept theirs (where installed), the balancer marks a stopping
 * instance down within its `drain_delay`, and the scripts parse.
 */
class ClusterExampleTest {
    static final Path CLUSTER = Path.of("../examples/cluster");

    @TempDir Path dir;

    @Test void theInstanceConfigsLoad() throws Exception {
        Config serve = ConfigLoader.load(null, CLUSTER.resolve("cluster.toml"));
        assertTrue(Files.isDirectory(serve.app()), "the ledger: " + serve.app());
        assertTrue(Files.isDirectory(serve.db().migrations().resolve("postgresql")), String.valueOf(serve.db().migrations()));
        assertTrue(serve.db().url().startsWith("postgresql://"));
        assertEquals(Duration.ofSeconds(60), serve.db().startupWait());
        assertEquals(serve.server().workers(), serve.db().pool(), "pool = workers: README.md");
        Config fpm = ConfigLoader.load(null, CLUSTER.resolve("fpm.toml"));
        assertEquals(serve.db().url(), fpm.db().url());
        assertEquals(fpm.server().workers(), fpm.db().pool());
    }

    /** HAProxy must mark a stopping instance down (inter × fall) before its listener closes (drain_delay). */
    @Test void haproxyTakesAnInstanceOutWithinItsDrainDelay() throws Exception {
        String cfg = Files.readString(CLUSTER.resolve("haproxy.cfg"));
        var m = Pattern.compile("default-server inter (\\d+)s fall (\\d+)").matcher(cfg);
        assertTrue(m.find(), "the check's interval and fall count");
        long downAfter = Long.parseLong(m.group(1)) * Long.parseLong(m.group(2));
        Duration delay = ConfigLoader.load(null, CLUSTER.resolve("cluster.toml")).server().probes().drainDelay();
        assertTrue(Duration.ofSeconds(downAfter).compareTo(delay) < 0, downAfter + " s must be under " + delay);
        assertTrue(cfg.contains("option httpchk GET /-/ready"));
        assertTrue(cfg.contains("option redispatch"));
        assertTrue(Pattern.compile("(?m)^\\s*retry-on conn-failure(\\s|$)").matcher(cfg).find(),
                "retries only on connection failure");
        assertTrue(!cfg.contains("empty-response") || cfg.lines().filter(l -> l.contains("empty-response"))
                .allMatch(l -> l.trim().startsWith("#")), "never retry a request that was sent");
    }

    /**
     * Issue 17: nginx must close an idle kept connection before a stopping `serve` does (at its
     * `drain_delay`), or a POST nginx sends on it as it closes gets a 502.
     */
    @Test void nginxClosesIdleConnectionsBeforeAStoppingInstanceDoes() throws Exception {
        String cfg = Files.readString(CLUSTER.resolve("nginx-serve.conf"));
        var m = Pattern.compile("(?m)^\\s*keepalive_timeout (\\d+)s;").matcher(cfg);
        assertTrue(m.find(), "the upstream's keepalive_timeout, written out (nginx's default is 60s)");
        Duration keepalive = Duration.ofSeconds(Long.parseLong(m.group(1)));
        Duration delay = ConfigLoader.load(null, CLUSTER.resolve("cluster.toml")).server().probes().drainDelay();
        assertTrue(keepalive.compareTo(delay) < 0, "keepalive_timeout " + keepalive + " must be under drain_delay " + delay);
    }

    /**
     * Issue 17: a stopping `fpm` closes kept FastCGI connections, and nginx may send a POST on one
     * before it sees the close (a 502): the cluster opens a connection per request.
     */
    @Test void nginxKeepsNoFastCgiConnectionToAnInstanceThatMayStop() throws Exception {
        String cfg = Files.readString(CLUSTER.resolve("nginx-fpm.conf"));
        assertTrue(cfg.lines().filter(l -> l.contains("fastcgi_keep_conn on") || l.matches("\\s*keepalive \\d+;"))
                .allMatch(l -> l.trim().startsWith("#")), "nginx-fpm.conf: no kept connections");
    }

    @Test void haproxyAcceptsItsConfig() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/haproxy")), "haproxy is not installed");
        run(List.of("/usr/sbin/haproxy", "-c", "-f", CLUSTER.resolve("haproxy.cfg").toString()));
    }

    @Test void nginxAcceptsBothServerBlocks() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx is not installed");
        for (String block : List.of("nginx-serve.conf", "nginx-fpm.conf")) {
            String text = Files.readString(CLUSTER.resolve(block));
            assertTrue(text.lines().filter(l -> l.contains("non_idempotent")).allMatch(l -> l.trim().startsWith("#")),
                    block + ": never retry a POST that was sent");
            Path root = Files.createDirectories(dir.resolve(block));
            Files.copy(Path.of("/etc/nginx/fastcgi_params"), root.resolve("fastcgi_params"));
            Files.writeString(root.resolve("nginx.conf"), """
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log;
                    events {}
                    http {
                        access_log off;
                        client_body_temp_path %1$s/body;
                        fastcgi_temp_path %1$s/fastcgi;
                        proxy_temp_path %1$s/proxy;
                        uwsgi_temp_path %1$s/uwsgi;
                        scgi_temp_path %1$s/scgi;
                        include %2$s;
                    }
                    """.formatted(root, CLUSTER.resolve(block).toAbsolutePath()));
            run(List.of("/usr/sbin/nginx", "-t", "-p", root + "/", "-c", root.resolve("nginx.conf").toString(),
                    "-e", root.resolve("error.log").toString()));
        }
    }

    @Test void theScriptsParse() throws Exception {
        run(List.of("bash", "-n", CLUSTER.resolve("start.sh").toString()));
        assertTrue(Files.isExecutable(CLUSTER.resolve("start.sh")));
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        run(List.of("/usr/bin/python3", "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())",
                CLUSTER.resolve("check.py").toString()));
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd) + " did not end");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
    }
}
