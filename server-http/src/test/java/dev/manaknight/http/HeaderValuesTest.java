package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 4: a response header holding a control character got no response at all, the
 * access log said 200, the connection stayed open past every timeout and a request pipelined
 * behind it was never answered. Now the handler fails with `bad-value` and the connection goes on.
 */
class HeaderValuesTest {
    @TempDir Path dir;
    private LiveApp app;

    @BeforeEach void start() throws Exception { app = LiveApp.sqlite(dir, ""); }

    @AfterEach void stop() { app.close(); }

    @ParameterizedTest @ValueSource(strings = {"%00", "%01", "%08", "%0B", "%0C", "%1F", "%7F", "%0D%0A"})
    void aControlCharacterInAHeaderIsA500AndThePipelinedRequestIsAnswered(String ch) throws Exception {
        try (var s = new Socket("127.0.0.1", app.server.address().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /echo-header?v=a" + ch + "b HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String first = response(in);
            assertTrue(first.startsWith("HTTP/1.1 500 "), first);
            assertTrue(first.contains("https://manaknight.dev/problems/bad-value"), first);
            String second = response(in);
            assertTrue(second.startsWith("HTTP/1.1 200 "), second);
        }
    }

    @ParameterizedTest @ValueSource(strings = {"%09", "%20", "%C3%A9"})
    void tabSpaceAndTextAreFine(String ch) throws Exception {
        var r = app.send("GET", "/echo-header?v=a" + ch + "b");
        assertEquals(200, r.statusCode(), r.body());
    }

    /** One response: its head and a Content-Length body. */
    private static String response(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("closed after: " + head);
            head.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : h.split("\r\n"))
            if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
