package dev.manaknight.lang.types;

import dev.manaknight.lang.model.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * A type during checking: a constructor applied to arguments, a unification variable, or
 * Never (the type of `respond`, `return`, which fits anywhere). Resolved {@link Ty}s become
 * {@link Type}s for code generation and the module.
 */
public sealed interface Ty {
    /** `Int`, `List<α>`, `User`: `name` is a built-in name or a declared record/enum name. */
    record Con(String name, List<Ty> args) implements Ty {
        public Con { args = List.copyOf(args); }

        @Override public String toString() { return Ty.show(this); }
    }

    /** An inference variable; `bound` is set once by unification. */
    final class Var implements Ty {
        final int id;
        Ty bound;
        /** Where this variable came from, for "cannot infer" messages; may be null. */
        final String origin;

        Var(int id, String origin) {
            this.id = id;
            this.origin = origin;
        }

        @Override public String toString() { return Ty.show(this); }
    }

    /** The type of an expression that never produces a value. */
    enum Never implements Ty { NEVER; @Override public String toString() { return "Never"; } }

    Con INT = new Con("Int", List.of());
    Con DECIMAL = new Con("Decimal", List.of());
    Con FLOAT = new Con("Float", List.of());
    Con BOOL = new Con("Bool", List.of());
    Con STRING = new Con("String", List.of());
    Con UNIT = new Con("Unit", List.of());
    Con JSON = new Con("Json", List.of());
    Con INSTANT = new Con("Instant", List.of());
    Con DURATION = new Con("Duration", List.of());
    Con SECRET = new Con("Secret", List.of());

    static Con list(Ty t) { return new Con("List", List.of(t)); }

    static Con map(Ty t) { return new Con("Map", List.of(t)); }

    static Con option(Ty t) { return new Con("Option", List.of(t)); }

    /** A PATCH body's field: `Patch.absent`, `Patch.null` or `Patch.set(v)`. */
    static Con patch(Ty t) { return new Con("Patch", List.of(t)); }

    static Con result(Ty ok, Ty err) { return new Con("Result", List.of(ok, err)); }

    static Con named(String name) { return new Con(name, List.of()); }

    /** Follows bound variables. */
    static Ty prune(Ty t) {
        while (t instanceof Var v && v.bound != null) t = v.bound;
        return t;
    }

    /** True when `t` (pruned) is the constructor `name`. */
    static boolean is(Ty t, String name) {
        return prune(t) instanceof Con c && c.name.equals(name);
    }

    /** The i-th argument of a constructor type (pruned). */
    static Ty arg(Ty t, int i) {
        return prune(((Con) prune(t)).args.get(i));
    }

    static Ty of(Type type) {
        return switch (type) {
            case Type.Prim p -> switch (p) {
                case INT -> INT;
                case DECIMAL -> DECIMAL;
                case FLOAT -> FLOAT;
                case BOOL -> BOOL;
                case STRING -> STRING;
                case UNIT -> UNIT;
                case JSON -> JSON;
                case INSTANT -> INSTANT;
                case DURATION -> DURATION;
                case SECRET -> SECRET;
            };
            case Type.ListOf l -> list(of(l.element()));
            case Type.MapOf m -> map(of(m.value()));
            case Type.OptionOf o -> option(of(o.value()));
            case Type.PatchOf p -> patch(of(p.value()));
            case Type.ResultOf r -> result(of(r.ok()), of(r.err()));
            case Type.Named n -> named(n.name());
        };
    }

    /**
     * The resolved {@link Type}, or null while any variable is unbound. Never resolves to Unit
     * (an expression of type Never leaves no value, so its kind does not matter).
     */
    static Type toType(Ty t) {
        t = prune(t);
        return switch (t) {
            case Var v -> null;
            case Never n -> Type.UNIT;
            case Con c -> {
                List<Type> args = new ArrayList<>();
                for (Ty a : c.args) {
                    Type r = toType(a);
                    if (r == null) yield null;
                    args.add(r);
                }
                yield switch (c.name) {
                    case "Int" -> Type.INT;
                    case "Decimal" -> Type.DECIMAL;
                    case "Float" -> Type.FLOAT;
                    case "Bool" -> Type.BOOL;
                    case "String" -> Type.STRING;
                    case "Unit" -> Type.UNIT;
                    case "Json" -> Type.JSON;
                    case "Instant" -> Type.INSTANT;
                    case "Duration" -> Type.DURATION;
                    case "Secret" -> Type.SECRET;
                    case "List" -> new Type.ListOf(args.get(0));
                    case "Map" -> new Type.MapOf(args.get(0));
                    case "Option" -> new Type.OptionOf(args.get(0));
                    case "Patch" -> new Type.PatchOf(args.get(0));
                    case "Result" -> new Type.ResultOf(args.get(0), args.get(1));
                    default -> new Type.Named(c.name);
                };
            }
        };
    }

    /** Does a Secret occur inside `t` (not as `t` itself)? */
    static boolean holdsSecret(Ty t) {
        return prune(t) instanceof Con c && c.args.stream().anyMatch(a -> is(a, "Secret") || holdsSecret(a));
    }

    /** Does an unbound variable occur in `t`? */
    static boolean hasVars(Ty t) {
        t = prune(t);
        return switch (t) {
            case Var v -> true;
            case Never n -> false;
            case Con c -> c.args.stream().anyMatch(Ty::hasVars);
        };
    }

    /** Source-like text; unbound variables print as `_`. */
    static String show(Ty t) {
        t = prune(t);
        return switch (t) {
            case Var v -> "_";
            case Never n -> "Never";
            case Con c -> {
                if (c.args.isEmpty()) yield c.name;
                var sb = new StringBuilder(c.name).append('<');
                for (int i = 0; i < c.args.size(); i++) sb.append(i == 0 ? "" : ", ").append(show(c.args.get(i)));
                yield sb.append('>').toString();
            }
        };
    }
}
