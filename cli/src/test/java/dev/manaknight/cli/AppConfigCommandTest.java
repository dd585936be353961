package dev.manaknight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 2 at the command line: a config key without a value refuses `fpm -t` (and so a
 * start or a reload) with the usage exit code and one line naming the key; `manaknight test`
 * takes the values from the app's `[app]` table, and its output never shows a Secret.
 */
class AppConfigCommandTest {
    @TempDir Path dir;

    private static final String APP = """
            config {
              adminKey: Secret
              pageSize: Int = 20
            }

            api GET /page {
              header authorization: String
              if !config.adminKey.constantTimeEquals(authorization) { respond status 401 }
              respond json(config.pageSize)
            }

            test "the admin key opens the page" {
              expect config.adminKey.constantTimeEquals("sk_test_admin")
              expect config.pageSize == 5
              expect (request GET "/page").status == 400
            }

            test "a wrong key fails and shows nothing of the secret" {
              expect config.adminKey.constantTimeEquals("sk_test_wrong")
            }
            """;

    private Path app() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        Files.writeString(app.resolve("app.mnk"), APP);
        return app;
    }

    @Test void aMissingValueRefusesFpmNamingTheKey() throws Exception {
        app();
        Path config = dir.resolve("prod.toml");
        Files.writeString(config, "app = \"app\"\n[server]\nlisten = \"unix:" + dir.resolve("fpm.sock") + "\"\n");
        Cli missing = Cli.run(AppLoader.standard(), "fpm", "--config", config.toString(), "-t");
        assertEquals(64, missing.code(), missing.toString());
        assertEquals("manaknight: " + config + ": `app.adminKey`: missing: the app's `config` declares `adminKey: Secret` "
                + "without a default; set it in the [app] table of " + config + " or as MANAKNIGHT_APP_ADMIN_KEY\n",
                missing.err());

        Files.writeString(config, "[app]\npath = \"app\"\nadminKey = \"sk_live\"\npageSize = \"many\"\n[server]\nlisten = \"unix:"
                + dir.resolve("fpm.sock") + "\"\n");
        Cli illTyped = Cli.run(AppLoader.standard(), "fpm", "--config", config.toString(), "-t");
        assertEquals(64, illTyped.code(), illTyped.toString());
        assertEquals("manaknight: " + config + ": `app.pageSize`: expected an Int, got \"many\"\n", illTyped.err());

        Files.writeString(config, "[app]\npath = \"app\"\nadminKey = \"sk_live\"\n[server]\nlisten = \"unix:"
                + dir.resolve("fpm.sock") + "\"\n");
        Cli ok = Cli.run(AppLoader.standard(), "fpm", "--config", config.toString(), "-t");
        assertEquals(0, ok.code(), ok.toString());
    }

    @Test void testTakesTheAppTableAndNeverPrintsASecret() throws Exception {
        Path app = app();
        Files.writeString(app.resolve("manaknight.toml"), "[app]\nadminKey = \"sk_test_admin\"\npageSize = 5\n");
        var out = new java.io.ByteArrayOutputStream();
        var saved = System.out;
        Cli r;
        try {
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            r = Cli.run(AppLoader.standard(), "test", app.toString());
        } finally {
            System.setOut(saved);
        }
        String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(1, r.code(), r + printed);
        assertTrue(printed.contains("ok the admin key opens the page"), printed);
        assertTrue(printed.contains("FAIL a wrong key fails and shows nothing of the secret\n"
                + "  app.mnk:19: expect config.adminKey.constantTimeEquals(\"sk_test_wrong\")\n"), printed);
        assertFalse(printed.contains("sk_test_admin"), printed);

        Files.writeString(app.resolve("manaknight.toml"), "[app]\npageSize = 5\n");
        Cli missing = Cli.run(AppLoader.standard(), "test", app.toString());
        assertEquals(64, missing.code(), missing.toString());
        assertTrue(missing.err().contains("`app.adminKey`: missing"), missing.err());
    }
}
