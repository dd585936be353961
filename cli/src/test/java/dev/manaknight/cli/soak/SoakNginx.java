package dev.manaknight.cli.soak;

import dev.manaknight.cli.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** nginx in front of `fpm` for the soak run: the shipped server block (examples/nginx), its listen and socket replaced. */
final class SoakNginx {
    private SoakNginx() {}

    /** The nginx binary, or null when nginx is not installed. */
    static String binary() {
        for (String p : new String[] {"/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"})
            if (Files.isExecutable(Path.of(p))) return p;
        return null;
    }

    static Process start(Path dir, int port, Path socket) throws Exception {
        Path root = Files.createDirectories(dir.resolve("nginx"));
        Files.createDirectories(root.resolve("tmp"));
        String block = Files.readString(Path.of("../examples/nginx/manaknight-fpm.conf"))
                .replace("listen 80;", "listen 127.0.0.1:" + port + ";")
                .replace("unix:/run/manaknight-fpm.sock", "unix:" + socket);
        Files.writeString(root.resolve("seed.conf"), block);
        Path params = Path.of("/etc/nginx/fastcgi_params");
        Files.copy(params, root.resolve("fastcgi_params"));
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        Files.writeString(root.resolve("nginx.conf"), """
                %s
                worker_processes 1;
                pid %s/nginx.pid;
                error_log %s/error.log error;
                daemon off;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    client_body_temp_path %s/tmp/body;
                    fastcgi_temp_path %s/tmp/fastcgi;
                    proxy_temp_path %s/tmp/proxy;
                    uwsgi_temp_path %s/tmp/uwsgi;
                    scgi_temp_path %s/tmp/scgi;
                    include seed.conf;
                }
                """.formatted(asRoot ? "user root root;" : "", root, root, root, root, root, root, root));
        Process p = new ProcessBuilder(binary(), "-p", root + "/", "-c", root.resolve("nginx.conf").toString(), "-e",
                root.resolve("error.log").toString()).redirectErrorStream(true).redirectOutput(root.resolve("nginx.out").toFile())
                .start();
        if (Ports.awaitListening(p, port, Duration.ofSeconds(10))) return p;
        p.destroyForcibly();
        throw new IOException("nginx did not start: " + Files.readString(root.resolve("nginx.out")));
    }
}
