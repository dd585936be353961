package dev.manaknight.lang.types;

import java.util.List;

/** Creates inference variables and unifies types (first-order, with an occurs check). */
final class Unifier {
    private int next;

    Ty.Var fresh(String origin) {
        return new Ty.Var(next++, origin);
    }

    /**
     * Makes `a` and `b` equal by binding variables; false when they cannot be (nothing is
     * bound then, except through variables already shared). Never unifies with anything.
     */
    boolean unify(Ty a, Ty b) {
        a = Ty.prune(a);
        b = Ty.prune(b);
        if (a == b) return true;
        if (a instanceof Ty.Never || b instanceof Ty.Never) return true;
        if (a instanceof Ty.Var v) return bind(v, b);
        if (b instanceof Ty.Var v) return bind(v, a);
        Ty.Con x = (Ty.Con) a, y = (Ty.Con) b;
        if (!x.name().equals(y.name()) || x.args().size() != y.args().size()) return false;
        if (!compatible(x, y)) return false;
        List<Ty> xs = x.args(), ys = y.args();
        for (int i = 0; i < xs.size(); i++) if (!unify(xs.get(i), ys.get(i))) return false;
        return true;
    }

    /** A dry run of {@link #unify} that binds nothing. */
    boolean compatible(Ty a, Ty b) {
        a = Ty.prune(a);
        b = Ty.prune(b);
        if (a == b || a instanceof Ty.Var || b instanceof Ty.Var || a instanceof Ty.Never || b instanceof Ty.Never) return true;
        Ty.Con x = (Ty.Con) a, y = (Ty.Con) b;
        if (!x.name().equals(y.name()) || x.args().size() != y.args().size()) return false;
        for (int i = 0; i < x.args().size(); i++) if (!compatible(x.args().get(i), y.args().get(i))) return false;
        return true;
    }

    private static boolean bind(Ty.Var v, Ty t) {
        if (occurs(v, t)) return false;
        v.bound = t;
        return true;
    }

    private static boolean occurs(Ty.Var v, Ty t) {
        t = Ty.prune(t);
        if (t == v) return true;
        return t instanceof Ty.Con c && c.args().stream().anyMatch(a -> occurs(v, a));
    }
}
