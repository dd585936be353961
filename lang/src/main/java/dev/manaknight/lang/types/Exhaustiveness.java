package dev.manaknight.lang.types;

import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.syntax.ast.Expr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Exhaustiveness and reachability of `match` arms, by the usefulness algorithm of Maranget
 * ("Warnings for pattern matching", 2007): a missing case is reported with a witness pattern
 * (`some(Role.suspended(_))`), an arm no value can reach is a warning.
 */
final class Exhaustiveness {
    private final Checker app;
    private final BodyChecker body;

    /** One constructor of a type: its tag (as VARIANT answers) and its argument types. */
    private record Sig(int tag, String name, List<Ty> args, TPattern.CtorKind kind, List<String> fieldNames) {}

    Exhaustiveness(Checker app, BodyChecker body) {
        this.app = app;
        this.body = body;
    }

    void check(Expr.Match m, Ty scrutinee, List<TExpr.TArm> arms) {
        List<List<TPattern>> rows = new ArrayList<>();
        for (TExpr.TArm arm : arms) {
            List<TPattern> row = List.of(arm.pattern());
            if (!useful(rows, row, List.of(scrutinee))) {
                app.report(new Diagnostic(Diagnostic.Severity.WARNING, "E0602", "this arm can never match", arm.pattern().span(),
                        "every value it matches is matched by an arm above", List.of(), "remove it, or move it above the arm that covers it"));
            }
            rows.add(row);
        }
        List<String> witness = witness(rows, List.of(scrutinee));
        if (witness != null) {
            String w = witness.getFirst();
            body.error("E0601", "`match` does not cover every case", m.scrutinee().span(), "`" + w + "` is not handled",
                    "add an arm `" + w + " -> …`" + (w.equals("_") ? "" : ", or a catch-all `_ -> …`"));
        }
    }

    private List<Sig> signatures(Ty t) {
        t = Ty.prune(t);
        if (!(t instanceof Ty.Con c)) return null;
        return switch (c.name()) {
            case "Bool" -> List.of(new Sig(0, "false", List.of(), TPattern.CtorKind.BOOL, null), new Sig(1, "true", List.of(), TPattern.CtorKind.BOOL, null));
            case "Option" -> List.of(new Sig(0, "none", List.of(), TPattern.CtorKind.OPTION, null),
                    new Sig(1, "some", List.of(c.args().get(0)), TPattern.CtorKind.OPTION, null));
            case Checker.PATCH -> List.of(new Sig(0, "Patch." + PatchCases.ABSENT, List.of(), TPattern.CtorKind.PATCH, null),
                    new Sig(1, "Patch." + PatchCases.NULL, List.of(), TPattern.CtorKind.PATCH, null),
                    new Sig(2, "Patch." + PatchCases.SET, List.of(c.args().get(0)), TPattern.CtorKind.PATCH, null));
            case "Result" -> List.of(new Sig(0, "ok", List.of(c.args().get(0)), TPattern.CtorKind.RESULT, null),
                    new Sig(1, "err", List.of(c.args().get(1)), TPattern.CtorKind.RESULT, null));
            default -> {
                TypeDef.EnumDef e = app.enumDef(c.name());
                if (e != null) {
                    List<Sig> out = new ArrayList<>();
                    for (int i = 0; i < e.variants().size(); i++) {
                        var v = e.variants().get(i);
                        out.add(new Sig(i, e.name() + "." + v.name(), v.fields().stream().map(f -> Ty.of(f.type())).toList(), TPattern.CtorKind.ENUM, null));
                    }
                    yield out;
                }
                TypeDef.RecordDef r = app.recordDef(c.name());
                if (r != null) {
                    yield List.of(new Sig(0, BodyChecker.displayType(r.name()), r.fields().stream().map(f -> Ty.of(f.type())).toList(), null,
                            r.fields().stream().map(TypeDef.FieldDef::name).toList()));
                }
                yield null;
            }
        };
    }

    private static boolean isWild(TPattern p) {
        return p instanceof TPattern.Wild || p instanceof TPattern.Bind;
    }

    /** The constructor tag of a pattern head, or -1 for wildcards and literals. */
    private static int tag(TPattern p) {
        return switch (p) {
            case TPattern.Ctor c -> c.tag();
            case TPattern.Rec r -> 0;
            default -> -1;
        };
    }

    /** The rows whose head matches constructor `s`, with the head replaced by its arguments. */
    private static List<List<TPattern>> specialize(List<List<TPattern>> rows, Sig s) {
        List<List<TPattern>> out = new ArrayList<>();
        for (List<TPattern> row : rows) {
            List<TPattern> head = expand(row.getFirst(), s);
            if (head == null) continue;
            List<TPattern> r = new ArrayList<>(head);
            r.addAll(row.subList(1, row.size()));
            out.add(r);
        }
        return out;
    }

    /** A head's arguments under constructor `s`, or null when the head cannot match `s`. */
    private static List<TPattern> expand(TPattern p, Sig s) {
        if (isWild(p)) return wilds(s.args().size(), p);
        if (p instanceof TPattern.Ctor c) return c.tag() == s.tag() ? c.args() : null;
        if (p instanceof TPattern.Rec r) {
            List<TPattern> args = new ArrayList<>(wilds(s.args().size(), p));
            for (int i = 0; i < r.fields().size(); i++) args.set(r.fields().get(i), r.patterns().get(i));
            return args;
        }
        return null; // a literal never covers a constructor
    }

    private static List<TPattern> wilds(int n, TPattern at) {
        List<TPattern> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new TPattern.Wild(Ty.UNIT, at.span()));
        return out;
    }

    private static List<List<TPattern>> defaults(List<List<TPattern>> rows) {
        List<List<TPattern>> out = new ArrayList<>();
        for (List<TPattern> row : rows) if (isWild(row.getFirst())) out.add(row.subList(1, row.size()));
        return out;
    }

    private static Set<Integer> headTags(List<List<TPattern>> rows) {
        Set<Integer> tags = new HashSet<>();
        for (List<TPattern> row : rows) {
            int t = tag(row.getFirst());
            if (t >= 0) tags.add(t);
        }
        return tags;
    }

    private static List<Ty> concat(List<Ty> a, List<Ty> b) {
        List<Ty> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Is there a value matched by `vector` and by no row? */
    private boolean useful(List<List<TPattern>> rows, List<TPattern> vector, List<Ty> types) {
        if (vector.isEmpty()) return rows.isEmpty();
        TPattern head = vector.getFirst();
        List<Ty> rest = types.subList(1, types.size());
        List<Sig> sigs = signatures(types.getFirst());
        if (head instanceof TPattern.Lit lit) {
            List<List<TPattern>> keep = new ArrayList<>();
            for (List<TPattern> row : rows) {
                TPattern h = row.getFirst();
                if (isWild(h) || (h instanceof TPattern.Lit l && sameLiteral(l.value(), lit.value()))) keep.add(row.subList(1, row.size()));
            }
            return useful(keep, vector.subList(1, vector.size()), rest);
        }
        if (!isWild(head) && sigs != null) {
            Sig s = sigs.stream().filter(x -> x.tag() == tag(head)).findFirst().orElse(null);
            if (s == null) return false;
            List<TPattern> v = new ArrayList<>(Objects.requireNonNull(expand(head, s)));
            v.addAll(vector.subList(1, vector.size()));
            return useful(specialize(rows, s), v, concat(s.args(), rest));
        }
        if (sigs != null && headTags(rows).size() == sigs.size()) {
            for (Sig s : sigs) {
                List<TPattern> v = new ArrayList<>(wilds(s.args().size(), head));
                v.addAll(vector.subList(1, vector.size()));
                if (useful(specialize(rows, s), v, concat(s.args(), rest))) return true;
            }
            return false;
        }
        return useful(defaults(rows), vector.subList(1, vector.size()), rest);
    }

    private static boolean sameLiteral(TExpr a, TExpr b) {
        return switch (a) {
            case TExpr.IntC x -> b instanceof TExpr.IntC y && x.value() == y.value();
            case TExpr.StrC x -> b instanceof TExpr.StrC y && x.value().equals(y.value());
            case TExpr.DecC x -> b instanceof TExpr.DecC y && x.value().compareTo(y.value()) == 0;
            case TExpr.FloatC x -> b instanceof TExpr.FloatC y && x.value() == y.value();
            default -> false;
        };
    }

    /** Patterns (one per column) of a value no row matches, or null when the rows are exhaustive. */
    private List<String> witness(List<List<TPattern>> rows, List<Ty> types) {
        if (types.isEmpty()) return rows.isEmpty() ? new ArrayList<>() : null;
        List<Ty> rest = types.subList(1, types.size());
        List<Sig> sigs = signatures(types.getFirst());
        Set<Integer> tags = headTags(rows);
        if (sigs != null && tags.size() == sigs.size()) {
            for (Sig s : sigs) {
                List<String> w = witness(specialize(rows, s), concat(s.args(), rest));
                if (w != null) {
                    int n = s.args().size();
                    List<String> out = new ArrayList<>();
                    out.add(render(s, w.subList(0, n)));
                    out.addAll(w.subList(n, w.size()));
                    return out;
                }
            }
            return null;
        }
        List<String> w = witness(defaults(rows), rest);
        if (w == null) return null;
        String head = "_";
        if (sigs != null) {
            for (Sig s : sigs) {
                if (!tags.contains(s.tag())) {
                    List<String> args = new ArrayList<>();
                    for (int i = 0; i < s.args().size(); i++) args.add("_");
                    head = render(s, args);
                    break;
                }
            }
        }
        List<String> out = new ArrayList<>();
        out.add(head);
        out.addAll(w);
        return out;
    }

    private static String render(Sig s, List<String> args) {
        if (s.fieldNames() != null) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) if (!args.get(i).equals("_")) parts.add(s.fieldNames().get(i) + ": " + args.get(i));
            return parts.isEmpty() ? "_" : s.name() + " { " + String.join(", ", parts) + " }";
        }
        return args.isEmpty() ? s.name() : s.name() + "(" + String.join(", ", args) + ")";
    }
}
