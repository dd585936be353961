package dev.manaknight.http;

import static dev.manaknight.http.LiveStatusTest.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON inputs at their edges (issue 12), over a real socket with the real compiler and VM: a
 * `Json` number past the Decimal caps was a 500 `memory-exhausted` (`1e200000`) or 100 KB of
 * output (`1e100000`); a lone surrogate became `?`; a parser limit quoted Jackson's settings.
 */
class LiveJsonEdgesTest {
    @TempDir Path dir;
    private LiveApp app;

    @BeforeEach void start() throws Exception { app = LiveApp.sqlite(dir, ""); }

    @AfterEach void stop() { app.close(); }

    private JsonNode invalid(String path, String body, String pointer) throws Exception {
        JsonNode p = problem(app.postJson(path, body), 400, "invalid-request");
        assertEquals(pointer, p.get("errors").get(0).get("pointer").asText(), p.toString());
        return p.get("errors").get(0);
    }

    @Test void jsonNumbersPastTheDecimalCapsAre400() throws Exception {
        for (String big : new String[] {"1e200000", "1e100000", "-1e-5000"})
            assertEquals("has more than 1000 digits before or after the decimal point",
                    invalid("/echo", big, "/body").get("detail").asText());
        invalid("/echo", "{\"a\":[1,1e200000]}", "/body/a/1");
        var atLimit = app.postJson("/echo", "1e999");
        assertEquals(200, atLimit.statusCode(), atLimit.body());
        assertEquals("1" + "0".repeat(999), atLimit.body());
    }

    @Test void loneSurrogatesAre400() throws Exception {
        assertTrue(invalid("/echo/text", "\"\\ud800\"", "/body").get("detail").asText().startsWith("has a lone surrogate"));
        invalid("/echo", "{\"s\":\"x\\udc00\"}", "/body/s");
        var pair = app.postJson("/echo/text", "\"\\ud83d\\ude00\"");
        assertEquals(200, pair.statusCode());
        assertEquals("\ud83d\ude00", pair.body());
    }

    @Test void parserLimitsAreSaidInPlainWords() throws Exception {
        String detail = invalid("/echo", "[".repeat(1001) + "]".repeat(1001), "/body").get("detail").asText();
        assertEquals("is not valid JSON: arrays and objects nest deeper than 1000 levels", detail);
        assertFalse(detail.contains("StreamReadConstraints"));
    }
}
