package dev.manaknight.lang.bytecode;

import dev.manaknight.lang.model.Type;

/**
 * One key of an app's `config { … }` block: its name, its type (Int, Decimal, Bool, String or
 * Secret) and the constant it defaults to, or null when the configuration must give it. A Secret
 * never has a default, so no secret is ever in a module.
 */
public record Setting(String name, Type type, Constant defaultValue) {
    /** The types a config key may have: each is read from TOML or an environment variable's text. */
    public static final java.util.Set<Type> TYPES = java.util.Set.of(Type.INT, Type.DECIMAL, Type.BOOL, Type.STRING,
            Type.SECRET);
    /**
     * The one name no config key may have: in a config file's `[app]` table, `path` is where the
     * app is (the same as `app = "…"` at the top, which TOML does not allow beside the table).
     */
    public static final String RESERVED = "path";
    /** What the environment variable of a key starts with: `MANAKNIGHT_APP_ADMIN_KEY` gives `adminKey`. */
    public static final String ENV_PREFIX = "MANAKNIGHT_APP_";

    /** The environment variable that gives this key's value. */
    public String envName() { return envName(name); }

    /** `adminKey` → `MANAKNIGHT_APP_ADMIN_KEY`: a `_` before each capital, all in capitals. */
    public static String envName(String key) {
        var sb = new StringBuilder(ENV_PREFIX);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && key.charAt(i - 1) != '_') sb.append('_');
            sb.append(Character.toUpperCase(c));
        }
        return sb.toString();
    }
}
