package dev.manaknight.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A working directory with a `./manaknight` of its own — a script that runs this build's command
 * line in a child JVM, as the repository's launcher runs the jar — and bash to run command lines
 * in it as a user types them: output is stdout and stderr together, as a terminal shows them.
 */
final class Shell implements AutoCloseable {
    /** A command that has not ended by then is a failure, not a wait. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    final Path dir;
    private final List<Server> servers = new ArrayList<>();
    private int lastExit;

    /** What a command printed and how it ended. */
    record Run(int exit, String output) {}

    /** A command that keeps running (a server): its process and what it printed so far. */
    static final class Server {
        final Process process;
        private final StringBuffer output = new StringBuffer();

        Server(Process process) {
            this.process = process;
        }

        String output() { return output.toString(); }
    }

    Shell(Path dir) throws IOException {
        this.dir = dir;
        String java = ProcessHandle.current().info().command().orElse("java");
        String run = quote(java) + " --enable-native-access=ALL-UNNAMED " + LauncherFlags.HEAP + " "
                + String.join(" ", LauncherFlags.collector()) + " -cp "
                + quote(System.getProperty("java.class.path")) + " " + Main.class.getName() + " \"$@\"\n";
        // As the launcher: HotSpot's suspend signal moved off USR2, and fpm with its six signals
        // blocked and -Xrs, so that it reads them itself (QUIT and TERM drain, USR2 reloads).
        String script = "#!/bin/sh\n# This build's `manaknight`, for tests: the repository's launcher runs the jar the same way.\n"
                + "export _JAVA_SR_SIGNUM=${_JAVA_SR_SIGNUM:-39}\n"
                + "if [ \"$1\" = fpm ] && env --block-signal=QUIT true 2>/dev/null; then\n"
                + "  exec env --block-signal=QUIT,TERM,INT,USR2,HUP,USR1 -- " + run.replace(" --enable", " -Xrs -XX:+StartAttachListener --enable")
                + "fi\nexec " + run;
        Path launcher = dir.resolve("manaknight");
        Files.writeString(launcher, script);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** A port nothing listens on now. */
    static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Runs `commandLine` with bash in the directory; `$?` in it is the previous command's exit code. */
    Run run(String commandLine) throws IOException, InterruptedException {
        Process p = bash(commandLine);
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("`" + commandLine + "` did not end within " + COMMAND_TIMEOUT);
        }
        lastExit = p.exitValue();
        return new Run(lastExit, out.join().replace("\r\n", "\n"));
    }

    /**
     * Starts a command that keeps running and waits until a line of its output satisfies `ready`
     * (a server's "listening on" line); fails when it ends or the timeout passes first.
     */
    Server start(String commandLine, Predicate<String> ready) throws IOException, InterruptedException {
        Process p = bash("exec " + commandLine);
        var server = new Server(p);
        servers.add(server);
        var isReady = new CompletableFuture<Void>();
        Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    server.output.append(line).append('\n');
                    if (ready.test(line)) isReady.complete(null);
                }
            } catch (IOException ended) {
                // the process ended; isReady says whether it was ready first
            }
            isReady.completeExceptionally(new AssertionError("`" + commandLine + "` ended before it was ready:\n"
                    + server.output()));
        });
        try {
            isReady.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (AssertionError) e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("`" + commandLine + "` was not ready within " + COMMAND_TIMEOUT + ":\n" + server.output());
        }
        return server;
    }

    /** Stops every started command as Ctrl-C would (SIGTERM: a server drains), then by force. */
    void stopServers() throws InterruptedException {
        for (Server s : servers) s.process.destroy();
        for (Server s : servers) {
            if (!s.process.waitFor(30, TimeUnit.SECONDS)) s.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        servers.clear();
    }

    private Process bash(String commandLine) throws IOException {
        return new ProcessBuilder("bash", "-c", "(exit " + lastExit + "); " + commandLine)
                .directory(dir.toFile()).redirectErrorStream(true).start();
    }

    @Override public void close() {
        try {
            stopServers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
