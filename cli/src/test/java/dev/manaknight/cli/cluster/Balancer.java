package dev.manaknight.cli.cluster;

import dev.manaknight.cli.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The load balancer in front of the instances, run from examples/cluster's shipped file with only
 * its ports changed (HAProxy's `haproxy.cfg`, or an nginx `http` block around `nginx-serve.conf` or
 * `nginx-fpm.conf`, as start.sh wraps them), in the foreground, in a process of its own.
 */
final class Balancer implements AutoCloseable {
    static final String HAPROXY = "/usr/sbin/haproxy";
    static final String NGINX = "/usr/sbin/nginx";

    private final Process process;
    private final Path log;

    private Balancer(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** HAProxy on `port` in front of `servers` (the shipped file names 8081, 8082, 8083). */
    static Balancer haproxy(Path dir, Path shipped, int port, List<Integer> servers) throws Exception {
        var ports = new java.util.LinkedHashMap<String, String>();
        ports.put("bind 127.0.0.1:8080", "bind 127.0.0.1:" + port);
        for (int i = 0; i < servers.size(); i++)
            ports.put("127.0.0.1:808" + (i + 1) + " check", "127.0.0.1:" + servers.get(i) + " check");
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, ClusterFiles.replace(shipped, ports));
        Path log = dir.resolve("balancer.log");
        var p = new ProcessBuilder(HAPROXY, "-db", "-f", cfg.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return started(p, log, port);
    }

    /**
     * nginx on `port` in front of `servers`: `nginx-serve.conf` names 8081-8083, `nginx-fpm.conf`
     * 9001-9002 ({@code firstShipped}).
     */
    static Balancer nginx(Path dir, Path shipped, int port, int firstShipped, List<Integer> servers) throws Exception {
        Path root = Files.createDirectories(dir.resolve("nginx"));
        Files.createDirectories(root.resolve("tmp"));
        var ports = new java.util.LinkedHashMap<String, String>();
        ports.put("listen 127.0.0.1:8080;", "listen 127.0.0.1:" + port + ";");
        for (int i = 0; i < servers.size(); i++)
            ports.put("server 127.0.0.1:" + (firstShipped + i) + " ", "server 127.0.0.1:" + servers.get(i) + " ");
        Files.writeString(root.resolve("cluster.conf"), ClusterFiles.replace(shipped, ports));
        Files.copy(Path.of("/etc/nginx/fastcgi_params"), root.resolve("fastcgi_params"));
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        Files.writeString(root.resolve("nginx.conf"), """
                %2$s
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                daemon off;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/tmp/body;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    proxy_temp_path %1$s/tmp/proxy;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                    include cluster.conf;
                }
                """.formatted(root, asRoot ? "user root root;" : ""));
        Path log = root.resolve("error.log");
        var p = new ProcessBuilder(NGINX, "-p", root + "/", "-c", root.resolve("nginx.conf").toString(), "-e", log.toString())
                .redirectErrorStream(true).redirectOutput(root.resolve("nginx.out").toFile()).start();
        return started(p, log, port);
    }

    private static Balancer started(Process p, Path log, int port) throws Exception {
        var b = new Balancer(p, log);
        if (Ports.awaitListening(p, port, Duration.ofSeconds(20))) return b;
        b.close();
        throw new IOException("the balancer did not start:\n" + b.tail());
    }

    /** The end of its log (nginx's error log: each 502 says why). */
    String tail() {
        try {
            String s = Files.exists(log) ? Files.readString(log) : "";
            return s.substring(Math.max(0, s.length() - 3000));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(Duration.ofSeconds(10).toSeconds(), TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
