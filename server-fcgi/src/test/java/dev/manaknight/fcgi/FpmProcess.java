package dev.manaknight.fcgi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A Manaknight-FPM process for integration tests: started, signalled and awaited by pid. */
final class FpmProcess implements AutoCloseable {
    final Process process;
    final Path stderr;
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    private FpmProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread.ofPlatform().daemon().start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; )
                    if (line.startsWith("manaknight: fpm listening on ")) ready.complete(line);
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IOException("fpm exited before it was ready"));
        });
    }

    /** Starts `FpmProcessMain config [--graceful]` with this JVM's class path and waits for its ready line. */
    static FpmProcess start(Path config, boolean graceful, Path stderr) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        var cmd = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), FpmProcessMain.class.getName(), config.toString()));
        if (graceful) cmd.add("--graceful");
        var pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
        pb.environment().put("_JAVA_SR_SIGNUM", FpmSignals.SUSPEND_SIGNAL); // as the launcher does: USR2 is ours
        Process p = pb.start();
        var f = new FpmProcess(p, stderr);
        try {
            f.ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("fpm did not start: " + e + "\n" + Files.readString(stderr), e);
        }
        return f;
    }

    void signal(String name) throws Exception {
        int rc = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
        if (rc != 0) throw new IOException("kill -" + name + " failed");
    }

    /** SIGTERM, then the exit code (-1 when it did not exit within the timeout). */
    int terminate(long seconds) throws Exception {
        signal("TERM");
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    String log() throws IOException { return Files.readString(stderr); }

    @Override public void close() {
        if (process.isAlive()) process.destroyForcibly();
    }
}
