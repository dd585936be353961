package dev.manaknight.lang.verify;

import dev.manaknight.lang.bytecode.Builtin;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A builtin's signature ({@link Builtin#signature}, e.g. {@code List<a> Int -> Option<a>}) read
 * once into patterns, and applied to the types on the stack: each operand must match its pattern;
 * the occurrences of a variable join; the result is the pushed pattern with the variables filled
 * in (an unbound one is Nothing: `[].first()` is `Option<Nothing>`, which is `none`).
 */
record Signature(List<Pattern> params, Pattern result) {
    /** A type with variables: a head (Int, String, List, a, key, …) and its arguments. */
    record Pattern(String head, List<Pattern> args) {
        @Override public String toString() {
            return args.isEmpty() ? head : head + "<" + String.join(", ", args.stream().map(Pattern::toString).toList()) + ">";
        }
    }

    private static final Map<Builtin, Signature> ALL = new EnumMap<>(Builtin.class);

    static {
        for (Builtin b : Builtin.values()) ALL.put(b, parse(b.signature));
    }

    static Signature of(Builtin b) { return ALL.get(b); }

    /** Sort keys: what the VM's sort compares (vm/Sorting). */
    private static final List<VType> KEYS = List.of(VType.Scalar.INT, VType.Scalar.DECIMAL, VType.Scalar.FLOAT,
            VType.Scalar.STRING, VType.Scalar.INSTANT, VType.Nothing.NOTHING);

    /**
     * The type pushed when the operands (deepest first) match, or a message saying which does not.
     */
    sealed interface Applied {
        record Pushes(VType type) implements Applied {}

        record Mismatch(int operand, String expected) implements Applied {}
    }

    Applied apply(List<VType> operands) {
        var bound = new HashMap<String, VType>();
        for (int i = 0; i < params.size(); i++) {
            if (!match(params.get(i), operands.get(i), true, bound))
                return new Applied.Mismatch(i, describe(params.get(i), bound));
        }
        VType key = bound.get("key");
        if (key != null && !KEYS.contains(key)) {
            for (int i = 0; i < params.size(); i++)
                if (mentions(params.get(i), "key"))
                    return new Applied.Mismatch(i, "a list of Int, Decimal, Float, String or Instant keys");
        }
        return new Applied.Pushes(instantiate(result, true, bound));
    }

    private static boolean match(Pattern p, VType actual, boolean top, Map<String, VType> bound) {
        switch (p.head()) {
            case "a", "key" -> {
                if (actual == VType.Prim.P || actual == VType.Scalar.SECRET) return false;
                VType had = bound.get(p.head());
                VType now = had == null ? actual : Lattice.join(had, actual);
                if (now == null) return false;
                bound.put(p.head(), now);
                return true;
            }
            case "Int", "Float", "Bool" -> {
                if (top) return actual == VType.Prim.P;
                return actual == VType.Nothing.NOTHING || actual == scalar(p.head());
            }
            case "String", "Decimal", "Instant", "Duration", "Secret", "Json" -> {
                return actual == VType.Nothing.NOTHING || actual == scalar(p.head());
            }
            case "Result" -> {
                if (actual == VType.Nothing.NOTHING)
                    return match(p.args().get(0), actual, false, bound) && match(p.args().get(1), actual, false, bound);
                return actual instanceof VType.ResultOf r && match(p.args().get(0), r.ok(), false, bound)
                        && match(p.args().get(1), r.err(), false, bound);
            }
            default -> {
                // List, Map, Option: one argument (Result, two, is above)
                Pattern inner = p.args().getFirst();
                if (actual == VType.Nothing.NOTHING) return match(inner, VType.Nothing.NOTHING, false, bound);
                VType content = switch (p.head()) {
                    case "List" -> actual instanceof VType.ListOf l ? l.element() : null;
                    case "Map" -> actual instanceof VType.MapOf m ? m.value() : null;
                    case "Option" -> actual instanceof VType.OptionOf o ? o.value() : null;
                    default -> throw new IllegalStateException("signature: unknown type " + p.head());
                };
                return content != null && match(inner, content, false, bound);
            }
        }
    }

    private static VType instantiate(Pattern p, boolean top, Map<String, VType> bound) {
        return switch (p.head()) {
            case "a", "key" -> bound.getOrDefault(p.head(), VType.Nothing.NOTHING);
            case "Int", "Float", "Bool" -> top ? VType.Prim.P : scalar(p.head());
            case "String", "Decimal", "Instant", "Duration", "Secret", "Json" -> scalar(p.head());
            case "Result" -> new VType.ResultOf(instantiate(p.args().get(0), false, bound),
                    instantiate(p.args().get(1), false, bound));
            case "List" -> new VType.ListOf(instantiate(p.args().getFirst(), false, bound));
            case "Map" -> new VType.MapOf(instantiate(p.args().getFirst(), false, bound));
            case "Option" -> new VType.OptionOf(instantiate(p.args().getFirst(), false, bound));
            default -> throw new IllegalStateException("signature: unknown type " + p.head());
        };
    }

    private static VType.Scalar scalar(String name) {
        return switch (name) {
            case "Int" -> VType.Scalar.INT;
            case "Float" -> VType.Scalar.FLOAT;
            case "Bool" -> VType.Scalar.BOOL;
            case "String" -> VType.Scalar.STRING;
            case "Decimal" -> VType.Scalar.DECIMAL;
            case "Instant" -> VType.Scalar.INSTANT;
            case "Duration" -> VType.Scalar.DURATION;
            case "Secret" -> VType.Scalar.SECRET;
            case "Json" -> VType.Scalar.JSON;
            default -> throw new IllegalStateException("signature: not a scalar " + name);
        };
    }

    /**
     * What an operand must be, for messages: `P` for a primitive, the pattern with its bound
     * variables filled in (`List<String>`), `a reference` for a variable not bound yet.
     */
    private static String describe(Pattern p, Map<String, VType> bound) {
        return switch (p.head()) {
            case "Int", "Float", "Bool" -> "P";
            case "a", "key" -> bound.containsKey(p.head()) ? bound.get(p.head()).toString() : "a reference";
            default -> shown(p, bound);
        };
    }

    private static String shown(Pattern p, Map<String, VType> bound) {
        if (p.head().equals("a") || p.head().equals("key"))
            return bound.containsKey(p.head()) ? bound.get(p.head()).toString() : "_";
        if (p.args().isEmpty()) return p.head();
        return p.head() + "<" + String.join(", ", p.args().stream().map(a -> shown(a, bound)).toList()) + ">";
    }

    private static boolean mentions(Pattern p, String variable) {
        if (p.head().equals(variable)) return true;
        for (Pattern a : p.args()) if (mentions(a, variable)) return true;
        return false;
    }

    // --- reading ------------------------------------------------------------------------------

    /** `T1 T2 -> R` where a type is `Name` or `Name<T, …>`. */
    static Signature parse(String text) {
        String[] sides = text.split(" -> ");
        if (sides.length != 2) throw new IllegalArgumentException("signature without one ` -> `: " + text);
        var params = new ArrayList<Pattern>();
        var reader = new Reader(sides[0]);
        while (reader.more()) params.add(reader.type());
        var result = new Reader(sides[1]);
        Pattern r = result.type();
        if (result.more()) throw new IllegalArgumentException("one result type expected: " + text);
        return new Signature(List.copyOf(params), r);
    }

    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s) { this.s = s; }

        boolean more() {
            while (i < s.length() && s.charAt(i) == ' ') i++;
            return i < s.length();
        }

        Pattern type() {
            more();
            int start = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) i++;
            String head = s.substring(start, i);
            if (head.isEmpty()) throw new IllegalArgumentException("type expected at " + start + " of `" + s + "`");
            var args = new ArrayList<Pattern>();
            if (i < s.length() && s.charAt(i) == '<') {
                i++;
                args.add(type());
                while (s.charAt(i) == ',') {
                    i++;
                    while (s.charAt(i) == ' ') i++;
                    args.add(type());
                }
                if (s.charAt(i++) != '>') throw new IllegalArgumentException("`>` expected in `" + s + "`");
            }
            int arity = switch (head) {
                case "List", "Map", "Option" -> 1;
                case "Result" -> 2;
                case "Int", "Float", "Bool", "String", "Decimal", "Instant", "Duration", "Secret", "Json", "a", "key" -> 0;
                default -> throw new IllegalArgumentException("unknown type `" + head + "` in `" + s + "`");
            };
            if (args.size() != arity)
                throw new IllegalArgumentException("`" + head + "` takes " + arity + " arguments in `" + s + "`");
            return new Pattern(head, List.copyOf(args));
        }
    }
}
