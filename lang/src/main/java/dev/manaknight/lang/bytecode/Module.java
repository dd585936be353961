package dev.manaknight.lang.bytecode;

import dev.manaknight.lang.model.Type;
import java.util.List;

/**
 * A compiled app: what `manaknight build` writes to a `.mkb` file and what every VM executes.
 * Immutable; one instance is shared by all requests.
 *
 * @param typeRefs full types referenced by {@code JSON T} and by the route manifest
 * @param settings the app's `config` keys, in declaration order: what {@code CONFIG_P k} and
 *                 {@code CONFIG_R k} read; their values come from the runtime's configuration
 */
public record Module(List<Constant> constants, List<TypeDef> types, List<Type> typeRefs,
                     List<Function> functions, List<EffectOp> effects, List<Route> routes,
                     List<TestCase> tests, List<Setting> settings) {
    /** `MKB` + format byte 0x01. */
    public static final int MAGIC = 0x4D4B4201;
    /** Changes whenever the bytes a module is written as change (mkb-format.md, "Versions"). */
    public static final int VERSION = 11;

    public Module {
        constants = List.copyOf(constants);
        types = List.copyOf(types);
        typeRefs = List.copyOf(typeRefs);
        functions = List.copyOf(functions);
        effects = List.copyOf(effects);
        routes = List.copyOf(routes);
        tests = List.copyOf(tests);
        settings = List.copyOf(settings);
    }

    /** A module without a `config` block. */
    public Module(List<Constant> constants, List<TypeDef> types, List<Type> typeRefs, List<Function> functions,
                  List<EffectOp> effects, List<Route> routes, List<TestCase> tests) {
        this(constants, types, typeRefs, functions, effects, routes, tests, List.of());
    }

    /** The index of the config key `name`, or -1. */
    public int settingIndex(String name) {
        for (int i = 0; i < settings.size(); i++) if (settings.get(i).name().equals(name)) return i;
        return -1;
    }

    public TypeDef type(String name) {
        for (TypeDef t : types) if (t.name().equals(name)) return t;
        return null;
    }

    public int typeIndex(String name) {
        for (int i = 0; i < types.size(); i++) if (types.get(i).name().equals(name)) return i;
        return -1;
    }
}
