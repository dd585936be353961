package dev.manaknight.lang.types;

import java.util.List;

/** The built-in methods of each type, by the type's name (`String`, `List`, …): what an editor completes. */
public final class MethodNames {
    private MethodNames() {}

    /** The method names of the type named `type`, or none when it has no built-in methods. */
    public static List<String> of(String type) {
        return Methods.NAMES.getOrDefault(type, List.of());
    }

    /** The functions called on the type's name itself (`Json.from(v)`), or none. */
    public static List<String> functionsOf(String type) {
        return type.equals("Json") ? Methods.JSON_STATICS : List.of();
    }
}
