package dev.manaknight.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Secret;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 2: the values of an app's config keys come from `[app]`, each overridden by its
 * `MANAKNIGHT_APP_…` variable, else the default; anything missing, ill-typed or unknown refuses
 * the start naming the key, and a Secret's text is in no message.
 */
class AppSettingsTest {
    private static final Path FILE = Path.of("/srv/app/manaknight.toml");
    private static final Module APP = compile("""
            config {
              pageSize: Int = 20
              price: Decimal = 1.00
              open: Bool = false
              greeting: String = "hello"
              adminKey: Secret
            }
            """);

    private static Module compile(String source) {
        try {
            return Compiler.compile(List.of(new SourceFile("app.mnk", source)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<Object> values(String toml, Map<String, String> env) throws ConfigException {
        return ConfigLoader.parse(FILE, toml, null, env).settings().values(APP);
    }

    private static String refusal(String toml, Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> values(toml, env)).getMessage();
    }

    @Test
    void theTableGivesValuesAndTheDefaultsFillTheRest() throws Exception {
        var v = values("[app]\nadminKey = \"sk_live_1\"\npageSize = 50\nprice = \"12.50\"\n", Map.of());
        assertEquals(50L, v.get(0));
        assertEquals(new BigDecimal("12.50"), v.get(1)); // a string keeps its scale
        assertEquals(false, v.get(2));
        assertEquals("hello", v.get(3));
        assertInstanceOf(Secret.class, v.get(4));
        assertEquals("Secret(…)", v.get(4).toString());
    }

    @Test
    void anEnvironmentVariableWinsOverTheTable() throws Exception {
        var env = Map.of("MANAKNIGHT_APP_ADMIN_KEY", "from-env", "MANAKNIGHT_APP_PAGE_SIZE", "7",
                "MANAKNIGHT_APP_OPEN", "true", "MANAKNIGHT_APP_PRICE", "0.10", "PATH", "/usr/bin");
        var v = values("[app]\nadminKey = \"from-file\"\npageSize = 50\n", env);
        assertEquals(List.of(7L, new BigDecimal("0.10"), true, "hello"), v.subList(0, 4));
        var program = ConfigLoader.parse(FILE, "[app]\nadminKey = \"from-file\"\n", null, env).settings()
                .bind(dev.manaknight.lang.vm.Program.load(APP));
        assertEquals(APP, program.module());
    }

    @Test
    void theNamingRule() {
        assertEquals("MANAKNIGHT_APP_ADMIN_KEY", dev.manaknight.lang.bytecode.Setting.envName("adminKey"));
        assertEquals("MANAKNIGHT_APP_PAGE_SIZE", dev.manaknight.lang.bytecode.Setting.envName("page_size"));
        assertEquals("MANAKNIGHT_APP_URL", dev.manaknight.lang.bytecode.Setting.envName("url"));
        assertEquals("MANAKNIGHT_APP_WEBHOOK_URL2", dev.manaknight.lang.bytecode.Setting.envName("webhookUrl2"));
    }

    @Test
    void aMissingValueNamesTheKeyAndBothWaysToGiveIt() {
        assertEquals("/srv/app/manaknight.toml: `app.adminKey`: missing: the app's `config` declares `adminKey: Secret` "
                + "without a default; set it in the [app] table of /srv/app/manaknight.toml or as MANAKNIGHT_APP_ADMIN_KEY",
                refusal("", Map.of()));
    }

    @Test
    void anIllTypedValueNamesItsKey() {
        assertEquals("/srv/app/manaknight.toml: `app.pageSize`: expected an Int, got \"ten\"",
                refusal("[app]\nadminKey = \"k\"\npageSize = \"ten\"\n", Map.of()));
        assertEquals("/srv/app/manaknight.toml: `app.open`: expected true or false, got 1",
                refusal("[app]\nadminKey = \"k\"\nopen = 1\n", Map.of()));
        assertTrue(refusal("[app]\nadminKey = \"k\"\nprice = 12.50\n", Map.of()).contains("a TOML float loses digits"));
        assertEquals("MANAKNIGHT_APP_PAGE_SIZE: expected an Int, like 42, got \"ten\"",
                refusal("[app]\nadminKey = \"k\"\n", Map.of("MANAKNIGHT_APP_PAGE_SIZE", "ten")));
        assertEquals("MANAKNIGHT_APP_PAGE_SIZE: an Int is at most 19 digits in range, got \"9999999999999999999\"",
                refusal("[app]\nadminKey = \"k\"\n", Map.of("MANAKNIGHT_APP_PAGE_SIZE", "9999999999999999999")));
        assertEquals("MANAKNIGHT_APP_OPEN: expected true or false, got \"yes\"",
                refusal("[app]\nadminKey = \"k\"\n", Map.of("MANAKNIGHT_APP_OPEN", "yes")));
    }

    @Test
    void unknownKeysAndVariablesAreRefused() {
        assertEquals("/srv/app/manaknight.toml: `app.pageSise`: unknown key: the app declares the config keys adminKey, "
                + "greeting, open, pageSize, price", refusal("[app]\nadminKey = \"k\"\npageSise = 3\n", Map.of()));
        assertEquals("the environment variable MANAKNIGHT_APP_PAGESIZE names no config key of the app (its keys: adminKey, "
                + "greeting, open, pageSize, price)",
                refusal("[app]\nadminKey = \"k\"\n", Map.of("MANAKNIGHT_APP_PAGESIZE", "3")));
        var none = assertThrows(ConfigException.class, () -> ConfigLoader.parse(FILE, "[app]\nx = 1\n", null).settings()
                .values(compile("fn f(): Int { 1 }"))).getMessage();
        assertEquals("/srv/app/manaknight.toml: `app.x`: unknown key: the app declares no config keys", none);
    }

    @Test
    void aSecretsTextIsInNoMessageAndNoToString() throws Exception {
        String wrongType = refusal("[app]\nadminKey = 424242\n", Map.of());
        assertEquals("/srv/app/manaknight.toml: `app.adminKey`: expected a string (a Secret)", wrongType);
        assertEquals("MANAKNIGHT_APP_ADMIN_KEY: a Secret must not be empty",
                refusal("", Map.of("MANAKNIGHT_APP_ADMIN_KEY", "")));
        var config = ConfigLoader.parse(FILE, "[app]\nadminKey = \"sk_live_file\"\n", null,
                Map.of("MANAKNIGHT_APP_ADMIN_KEY", "sk_live_env"));
        assertFalse(config.toString().contains("sk_live"), config.toString());
        assertTrue(config.toString().contains("AppSettings[app.adminKey, MANAKNIGHT_APP_ADMIN_KEY]"), config.toString());
        assertFalse(config.settings().values(APP).toString().contains("sk_live"));
    }

    @Test
    void testsReadNoEnvironment() throws Exception {
        var config = ConfigLoader.parse(FILE, "[app]\nadminKey = \"k\"\n", null, Map.of("MANAKNIGHT_APP_PAGE_SIZE", "7"));
        assertEquals(20L, config.settings().withoutEnvironment().values(APP).getFirst());
    }

    @Test
    void appIsAPathOrATable() throws Exception {
        assertEquals(Path.of("/srv/app/hello.mkb"), ConfigLoader.parse(FILE, "app = \"hello.mkb\"\n", null).app());
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(FILE, "app = 3\n", null));
        assertEquals("/srv/app/manaknight.toml: `app`: expected the app's path (a string) or the [app] table of its config keys",
                e.getMessage());
        assertEquals(null, ConfigLoader.parse(FILE, "[app]\nadminKey = \"k\"\n", null).app());
        // beside config keys, `path` in [app] is the app's path (fpm needs both in one file)
        var both = ConfigLoader.parse(FILE, "[app]\npath = \"hello.mkb\"\nadminKey = \"k\"\n", null);
        assertEquals(Path.of("/srv/app/hello.mkb"), both.app());
        assertEquals(5, both.settings().values(APP).size());
    }
}
