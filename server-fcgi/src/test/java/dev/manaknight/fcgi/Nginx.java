package dev.manaknight.fcgi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx for integration tests: its own config, pid, logs and temp paths in a temp dir,
 * run in the foreground (`daemon off`) as a child process, stopped by pid. Serves the two
 * example server blocks of examples/nginx, only their listen address and socket path replaced.
 */
final class Nginx implements AutoCloseable {
    static final Path EXAMPLES = Path.of("../examples/nginx");
    /** The socket examples/nginx/local.toml listens on, which local-nginx.conf passes requests to. */
    static final String LOCAL_SOCKET = "/tmp/manaknight-fpm.sock";

    final Process process;
    final int portOff;
    final int portKeep;
    final Path dir;

    private Nginx(Process process, Path dir, int portOff, int portKeep) {
        this.process = process;
        this.dir = dir;
        this.portOff = portOff;
        this.portKeep = portKeep;
    }

    /** The nginx binary, or null when nginx is not installed. */
    static String binary() {
        for (String p : new String[] {"/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx", "/usr/local/bin/nginx"})
            if (Files.isExecutable(Path.of(p))) return p;
        return null;
    }

    /** The seed's block on {@link #portOff}, the keepalive variant on {@link #portKeep}, both to `socket`. */
    static Nginx start(Path dir, Path socket) throws Exception { return start(dir, "unix:" + socket); }

    /** Like {@link #start(Path, Path)}, to Manaknight-FPM on TCP at 127.0.0.1:`port`. */
    static Nginx startTcp(Path dir, int port) throws Exception { return start(dir, "127.0.0.1:" + port); }

    private static Nginx start(Path dir, String backend) throws Exception {
        int off = freePort();
        int keep = freePort();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("seed.conf"), render("manaknight-fpm.conf", off, "unix:/run/manaknight-fpm.sock", backend));
        Files.writeString(dir.resolve("keepalive.conf"), render("manaknight-fpm-keepalive.conf", keep, "unix:/run/manaknight-fpm.sock", backend));
        return start(dir, off, keep);
    }

    /** The CGI block (nginx + fcgiwrap) on {@link #portOff}, running `script` through fcgiwrap's socket. */
    static Nginx startCgi(Path dir, Path fcgiwrapSocket, Path script) throws Exception {
        int port = freePort();
        Files.createDirectories(dir);
        String conf = render("manaknight-cgi.conf", port, "unix:/run/fcgiwrap.socket", "unix:" + fcgiwrapSocket)
                .replace("/opt/manaknight/examples/nginx/manaknight-cgi", script.toString());
        Files.writeString(dir.resolve("seed.conf"), conf);
        Files.writeString(dir.resolve("keepalive.conf"), "");
        return start(dir, port, port);
    }

    /**
     * examples/nginx/local-nginx.conf, the whole workstation configuration, on a free port (in place
     * of 8088) to `socket` (in place of local.toml's), with `dir` as nginx's prefix; under root its
     * workers run as root, so that they reach a socket in a test's private folder.
     */
    static Nginx startLocal(Path dir, Path socket) throws Exception {
        int port = freePort();
        Files.createDirectories(dir);
        String conf = render("local-nginx.conf", "listen 127.0.0.1:8088;", port, "unix:" + LOCAL_SOCKET, "unix:" + socket);
        Path params = Path.of("/etc/nginx/fastcgi_params");
        if (!Files.exists(params))
            conf = conf.replace(params.toString(), Path.of("src/test/resources/nginx/fastcgi_params").toAbsolutePath() + "");
        if ("root".equals(System.getProperty("user.name"))) conf = "user root root;\n" + conf;
        Files.writeString(dir.resolve("local-nginx.conf"), conf);
        Process p = new ProcessBuilder(binary(), "-p", dir + "/", "-c", dir.resolve("local-nginx.conf").toString(), "-e",
                dir.resolve("error.log").toString(), "-g", "daemon off;").redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
        return awaitListening(new Nginx(p, dir, port, port));
    }

    private static Nginx start(Path dir, int off, int keep) throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        Path params = Path.of("/etc/nginx/fastcgi_params");
        Files.copy(Files.exists(params) ? params : Path.of("src/test/resources/nginx/fastcgi_params"), dir.resolve("fastcgi_params"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.writeString(dir.resolve("nginx.conf"), """
                %s
                worker_processes 1;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                daemon off;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_body_temp_path %s/tmp/body;
                    fastcgi_temp_path %s/tmp/fastcgi;
                    proxy_temp_path %s/tmp/proxy;
                    uwsgi_temp_path %s/tmp/uwsgi;
                    scgi_temp_path %s/tmp/scgi;
                    include seed.conf;
                    include keepalive.conf;
                }
                """.formatted(root ? "user root root;" : "", dir, dir, dir, dir, dir, dir, dir));
        Process p = new ProcessBuilder(binary(), "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(), "-e",
                dir.resolve("error.log").toString()).redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        return awaitListening(new Nginx(p, dir, off, keep));
    }

    /** `n` once both its ports accept connections (10 s at most). */
    private static Nginx awaitListening(Nginx n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!accepts(n.portOff) || !accepts(n.portKeep)) {
            if (!n.process.isAlive() || System.nanoTime() > deadline) {
                n.close();
                throw new IOException("nginx did not start: " + readOr(n.dir.resolve("nginx.out")) + n.errorLog());
            }
            Thread.sleep(20);
        }
        return n;
    }

    /** The example file with its `listen 80;` and socket path replaced, nothing else. */
    private static String render(String example, int port, String socket, String replacement) throws IOException {
        return render(example, "listen 80;", port, socket, replacement);
    }

    /** The example file with its `listen` line and socket path replaced, nothing else. */
    private static String render(String example, String listen, int port, String socket, String replacement) throws IOException {
        String text = Files.readString(EXAMPLES.resolve(example));
        if (!text.contains(listen) || !text.contains(socket))
            throw new IllegalStateException(example + " lost its listen line or socket path");
        return text.replace(listen, "listen 127.0.0.1:" + port + ";").replace(socket, replacement);
    }

    private static boolean accepts(int port) {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String readOr(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    String errorLog() { return readOr(dir.resolve("error.log")); }

    @Override public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: nginx's fast shutdown
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
