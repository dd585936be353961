package dev.manaknight.lang.verify;

/**
 * The order on {@link VType}s: which type fits where another is expected, and the least type two
 * paths' values both fit (the join, at a jump target). Both follow the VM's values: containers are
 * immutable, so covariant; a builder is mutable, so only equal builders fit and join.
 */
final class Lattice {
    private Lattice() {}

    /**
     * The largest type the verifier follows, in nodes ({@code List<Option<Int>>} has three) and
     * in nesting. Real code stays far below; code that wraps a value in a loop (`x = [x]`) would
     * otherwise make the analysis climb forever.
     */
    static final int MAX_NODES = 256;
    static final int MAX_DEPTH = 64;

    /** A value of type `actual` may be used where `wanted` is expected. */
    static boolean fits(VType actual, VType wanted) {
        if (actual.equals(wanted)) return true;
        if (actual == VType.Nothing.NOTHING) return wanted != VType.Prim.P;
        return switch (actual) {
            case VType.ListOf a when wanted instanceof VType.ListOf w -> fits(a.element(), w.element());
            case VType.MapOf a when wanted instanceof VType.MapOf w -> fits(a.value(), w.value());
            case VType.OptionOf a when wanted instanceof VType.OptionOf w -> fits(a.value(), w.value());
            case VType.ResultOf a when wanted instanceof VType.ResultOf w -> fits(a.ok(), w.ok()) && fits(a.err(), w.err());
            default -> false;
        };
    }

    /** The least type both fit, or null when there is none (a P and an R, a String and a List, two builders). */
    static VType join(VType a, VType b) {
        VType j = joinAny(a, b);
        return j == null || tooLarge(j) ? null : j;
    }

    private static VType joinAny(VType a, VType b) {
        if (a.equals(b)) return a;
        if (a == VType.Nothing.NOTHING) return b == VType.Prim.P ? null : b;
        if (b == VType.Nothing.NOTHING) return a == VType.Prim.P ? null : a;
        return switch (a) {
            case VType.ListOf x when b instanceof VType.ListOf y -> wrap(joinAny(x.element(), y.element()), VType.ListOf::new);
            case VType.MapOf x when b instanceof VType.MapOf y -> wrap(joinAny(x.value(), y.value()), VType.MapOf::new);
            case VType.OptionOf x when b instanceof VType.OptionOf y -> wrap(joinAny(x.value(), y.value()), VType.OptionOf::new);
            case VType.ResultOf x when b instanceof VType.ResultOf y -> {
                VType ok = joinAny(x.ok(), y.ok());
                VType err = joinAny(x.err(), y.err());
                yield ok == null || err == null ? null : new VType.ResultOf(ok, err);
            }
            default -> null;
        };
    }

    private static VType wrap(VType inner, java.util.function.Function<VType, VType> make) {
        return inner == null ? null : make.apply(inner);
    }

    /** More than {@link #MAX_NODES} nodes or deeper than {@link #MAX_DEPTH}. */
    static boolean tooLarge(VType t) {
        return measure(t, 0, new int[1]);
    }

    private static boolean measure(VType t, int depth, int[] nodes) {
        if (++nodes[0] > MAX_NODES || depth > MAX_DEPTH) return true;
        return switch (t) {
            case VType.ListOf l -> measure(l.element(), depth + 1, nodes);
            case VType.MapOf m -> measure(m.value(), depth + 1, nodes);
            case VType.OptionOf o -> measure(o.value(), depth + 1, nodes);
            case VType.ResultOf r -> measure(r.ok(), depth + 1, nodes) || measure(r.err(), depth + 1, nodes);
            case VType.Builder b -> measure(b.element(), depth + 1, nodes);
            case VType.Prim p -> false;
            case VType.Nothing n -> false;
            case VType.Scalar s -> false;
            case VType.Named n -> false;
        };
    }
}
