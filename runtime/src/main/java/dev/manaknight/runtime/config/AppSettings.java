package dev.manaknight.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Setting;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Program;
import dev.manaknight.lang.vm.Secret;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The values of an app's `config { … }` keys (runtime.md, "App configuration"): the config
 * file's `[app]` table, each key overridden by its environment variable
 * ({@link Setting#envName}: `adminKey` is `MANAKNIGHT_APP_ADMIN_KEY`), else the key's default.
 * A key without a value, a value of the wrong type, an `[app]` key or a `MANAKNIGHT_APP_…`
 * variable the app does not declare refuses the start, naming the key; no message ever holds a
 * Secret's text, and neither does {@link #toString}.
 *
 * @param file        the config file, for messages (null: none)
 * @param table       the `[app]` table, or null when there is none
 * @param environment the `MANAKNIGHT_APP_…` variables only
 */
public record AppSettings(Path file, JsonNode table, Map<String, String> environment) {
    public static final AppSettings NONE = new AppSettings(null, null, Map.of());
    /** The key of `[app]` that is the app's path, not a config key (no config key has this name). */
    public static final String PATH_KEY = Setting.RESERVED;
    private static final Pattern INT = Pattern.compile("-?[0-9]{1,19}");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,64}(\\.[0-9]{1,64})?");

    public AppSettings {
        environment = Map.copyOf(environment);
    }

    /** The `MANAKNIGHT_APP_…` variables of a process environment. */
    public static Map<String, String> fromEnvironment(Map<String, String> env) {
        var out = new TreeMap<String, String>();
        env.forEach((k, v) -> { if (k.startsWith(Setting.ENV_PREFIX)) out.put(k, v); });
        return out;
    }

    /** The same without the environment: what `manaknight test` uses, so a run is the same on every machine. */
    public AppSettings withoutEnvironment() {
        return new AppSettings(file, table, Map.of());
    }

    /** `program` with its config keys' values. */
    public Program bind(Program program) throws ConfigException {
        return program.withConfig(values(program.module()));
    }

    /** One value per key of `module`, in order (see {@link Program#withConfig}). */
    public List<Object> values(Module module) throws ConfigException {
        var declared = new TreeMap<String, Setting>();
        for (Setting s : module.settings()) declared.put(s.name(), s);
        if (table != null) {
            for (Iterator<String> it = table.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!declared.containsKey(key) && !key.equals(PATH_KEY))
                    throw error("app." + key, "unknown key: the app declares " + (declared.isEmpty() ? "no config keys"
                            : "the config keys " + String.join(", ", declared.keySet())));
            }
        }
        for (String variable : environment.keySet()) {
            if (module.settings().stream().noneMatch(s -> s.envName().equals(variable)))
                throw new ConfigException("the environment variable " + variable + " names no config key of the app"
                        + (declared.isEmpty() ? "" : " (its keys: " + String.join(", ", declared.keySet()) + ")"));
        }
        var values = new ArrayList<Object>();
        for (Setting s : module.settings()) values.add(value(s));
        return values;
    }

    private Object value(Setting s) throws ConfigException {
        String key = "app." + s.name();
        String env = environment.get(s.envName());
        if (env != null) return fromText(s, env, s.envName());
        JsonNode n = table == null ? null : table.get(s.name());
        if (n != null) return fromToml(s, n, key);
        if (s.defaultValue() != null) return fromDefault(s);
        throw error(key, "missing: the app's `config` declares `" + s.name() + ": " + s.type() + "` without a default; "
                + "set it in the [app] table" + (file == null ? "" : " of " + file) + " or as " + s.envName());
    }

    /**
     * The text of each of `module`'s Secret keys that has a value here, by key name: what the
     * journal never writes (it names the key instead), and what replay puts back.
     */
    public Map<String, String> secretTexts(Module module) {
        var out = new TreeMap<String, String>();
        for (Setting s : module.settings()) {
            if (s.type() != Type.SECRET) continue;
            String env = environment.get(s.envName());
            JsonNode n = table == null ? null : table.get(s.name());
            String text = env != null ? env : n != null && n.isTextual() ? n.textValue() : null;
            if (text != null && !text.isEmpty()) out.put(s.name(), text);
        }
        return out;
    }

    private ConfigException error(String key, String what) {
        return new ConfigException((file == null ? "config" : file.toString()) + ": `" + key + "`: " + what);
    }

    private Object fromText(Setting s, String text, String variable) throws ConfigException {
        Type t = s.type();
        String bad = t == Type.SECRET ? "" : ", got \"" + text + "\"";
        if (t == Type.INT) {
            if (INT.matcher(text).matches()) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw new ConfigException(variable + ": an Int is at most 19 digits in range" + bad);
                }
            }
            throw new ConfigException(variable + ": expected an Int, like 42" + bad);
        }
        if (t == Type.DECIMAL) {
            if (DECIMAL.matcher(text).matches()) return new BigDecimal(text);
            throw new ConfigException(variable + ": expected a Decimal, like 12.50" + bad);
        }
        if (t == Type.BOOL) {
            if (text.equals("true") || text.equals("false")) return Boolean.parseBoolean(text);
            throw new ConfigException(variable + ": expected true or false" + bad);
        }
        if (t == Type.SECRET) {
            if (text.isEmpty()) throw new ConfigException(variable + ": a Secret must not be empty");
            return Secret.of(text);
        }
        return text;
    }

    private Object fromToml(Setting s, JsonNode n, String key) throws ConfigException {
        Type t = s.type();
        if (t == Type.SECRET) {
            if (!n.isTextual()) throw error(key, "expected a string (a Secret)");
            if (n.textValue().isEmpty()) throw error(key, "a Secret must not be empty");
            return Secret.of(n.textValue());
        }
        if (t == Type.STRING) {
            if (!n.isTextual()) throw error(key, "expected a string, got " + n);
            return n.textValue();
        }
        if (t == Type.BOOL) {
            if (!n.isBoolean()) throw error(key, "expected true or false, got " + n);
            return n.booleanValue();
        }
        if (t == Type.INT) {
            if (!n.isIntegralNumber() || !n.canConvertToLong()) throw error(key, "expected an Int, got " + n);
            return n.longValue();
        }
        // Decimal: an integer, or a string of digits; a TOML float is binary and would lose digits (12.50 is 12.5).
        if (n.isIntegralNumber()) return n.decimalValue();
        if (n.isTextual() && DECIMAL.matcher(n.textValue()).matches()) return new BigDecimal(n.textValue());
        throw error(key, "expected a Decimal as an integer or a string, like \"12.50\" (a TOML float loses digits), got " + n);
    }

    private static Object fromDefault(Setting s) {
        return switch (s.defaultValue()) {
            case Constant.IntConst c -> s.type() == Type.BOOL ? (Object) (c.value() != 0) : (Object) c.value();
            case Constant.DecConst c -> c.value();
            case Constant.StrConst c -> c.value();
            case Constant.FloatConst c -> c.value(); // the verifier refuses it
        };
    }

    /** The keys given, never their values (a Secret's text is among them). */
    @Override public String toString() {
        var keys = new ArrayList<String>();
        if (table != null) table.fieldNames().forEachRemaining(k -> { if (!k.equals(PATH_KEY)) keys.add("app." + k); });
        keys.addAll(environment.keySet());
        return "AppSettings" + keys;
    }
}
