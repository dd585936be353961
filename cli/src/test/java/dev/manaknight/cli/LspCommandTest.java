package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: `manaknight lsp` as an editor starts it — a process speaking JSON-RPC with
 * Content-Length framing on its stdin and stdout: initialize, open a broken file and get its
 * diagnostic, shutdown, exit with 0. (The features themselves: the lsp module's LanguageServerTest.)
 */
class LspCommandTest {
    @TempDir Path dir;

    @Test void aRealProcessAnswersOverStdioAndExitsZeroAfterShutdown() throws Exception {
        Path file = Files.writeString(dir.resolve("app.mnk"), "fn f(): Int {\n  return undefinedName\n}\n");
        String uri = file.toUri().toString();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(), "lsp")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            OutputStream in = p.getOutputStream();
            InputStream out = p.getInputStream();
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}");
            String init = read(out);
            assertTrue(init.contains("\"id\":1") && init.contains("\"hoverProvider\":true"), init);
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\""
                    + uri + "\",\"languageId\":\"manaknight\",\"version\":1,"
                    + "\"text\":\"fn f(): Int {\\n  return undefinedName\\n}\\n\"}}}");
            String diagnostics = read(out);
            assertTrue(diagnostics.contains("textDocument/publishDiagnostics") && diagnostics.contains("\"code\":\"E0203\""),
                    diagnostics);
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\"}");
            assertTrue(read(out).contains("\"id\":2"));
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the server exits on `exit`");
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    private static void send(OutputStream in, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        in.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        in.write(body);
        in.flush();
    }

    /** The next message from the server, within a deadline. */
    private static String read(InputStream out) throws Exception {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return readMessage(out);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(30, TimeUnit.SECONDS);
    }

    /** One message: headers up to a blank line, then Content-Length bytes. */
    private static String readMessage(InputStream out) throws IOException {
        var header = new ByteArrayOutputStream();
        int length = -1;
        while (true) {
            int b = out.read();
            if (b < 0) throw new IOException("the server closed stdout");
            header.write(b);
            String h = header.toString(StandardCharsets.US_ASCII);
            if (h.endsWith("\r\n\r\n")) {
                for (String line : h.split("\r\n"))
                    if (line.startsWith("Content-Length: ")) length = Integer.parseInt(line.substring(16));
                break;
            }
        }
        return new String(out.readNBytes(length), StandardCharsets.UTF_8);
    }
}
