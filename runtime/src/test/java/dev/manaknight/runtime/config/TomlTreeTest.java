package dev.manaknight.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TomlTree builds the tree `new TomlMapper().readTree` builds, without the mapper. */
class TomlTreeTest {
    private static final String[] DOCUMENTS = {
        "",
        "app = \"/srv/app\"\n",
        """
        app = "x"
        [server]
        listen = "unix:/run/a.sock"
        workers = 8
        queue = 0
        drain_timeout = "30s"
        openapi = false
        [limits]
        fuel = 9223372036854775807
        ratio = 0.25
        big = 1e400
        [db]
        url = 'sqlite:app.db'
        """,
        """
        list = [1, "two", 3.5, true, [4, 5], { six = 6 }]
        inline = { a = 1, b = { c = "d" } }
        huge = 123456789012345678901234567890
        [[tables]]
        name = "first"
        [[tables]]
        name = "second"
        [a.b.c]
        deep = -1
        when = 1979-05-27T07:32:00Z
        day = 1979-05-27
        inf = inf
        hex = 0xff
        multi = \"""
        two
        lines\"""
        """,
    };

    @Test void sameTreeAsTheMapper() throws IOException {
        var mapper = new TomlMapper();
        for (String doc : DOCUMENTS) {
            JsonNode expected = mapper.readTree(doc);
            assertEquals(expected, TomlTree.parse(doc), doc);
        }
    }

    @Test void numbersKeepTheirKinds() throws IOException {
        JsonNode t = TomlTree.parse("i = 8\nl = 9223372036854775807\nf = 0.25\nh = 123456789012345678901234567890\n");
        assertTrue(t.get("i").isInt());
        assertTrue(t.get("l").isLong());
        assertTrue(t.get("f").isFloatingPointNumber());
        assertTrue(t.get("h").isBigInteger());
    }

    @Test void readsAFile(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("c.toml"), "[server]\nworkers = 3\n");
        assertEquals(3, TomlTree.read(f).get("server").get("workers").intValue());
    }

    @Test void badTomlFailsWithTheParsersMessage() {
        var e = assertThrows(IOException.class, () -> TomlTree.parse("[server\nworkers = 3\n"));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }
}
