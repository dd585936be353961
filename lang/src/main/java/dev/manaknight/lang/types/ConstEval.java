package dev.manaknight.lang.types;

import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.ast.Expr;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Folds constant expressions (literals and operators on them) to a literal {@link TExpr}, with
 * the VM's own semantics: an Int overflow or a division by zero does not fold (it stays an
 * error the checker reports as "not a constant").
 */
final class ConstEval {
    private ConstEval() {}

    /** The literal `e` evaluates to, or null when `e` is not constant. */
    static TExpr fold(TExpr e) {
        return switch (e) {
            case TExpr.IntC c -> c;
            case TExpr.DecC c -> c;
            case TExpr.FloatC c -> c;
            case TExpr.BoolC c -> c;
            case TExpr.StrC c -> c;
            case TExpr.Unary u -> {
                TExpr v = fold(u.operand());
                if (v == null) yield null;
                yield switch (u.op()) {
                    case NOT -> v instanceof TExpr.BoolC b ? new TExpr.BoolC(!b.value(), u.span()) : null;
                    case NEG -> negate(v, u.span());
                };
            }
            case TExpr.Binary b -> binary(b);
            case TExpr.Logic l -> {
                TExpr a = fold(l.left()), c = fold(l.right());
                if (!(a instanceof TExpr.BoolC x) || !(c instanceof TExpr.BoolC y)) yield null;
                yield new TExpr.BoolC(l.and() ? x.value() && y.value() : x.value() || y.value(), l.span());
            }
            case TExpr.Interp i -> {
                var sb = new StringBuilder();
                for (TExpr p : i.parts()) {
                    TExpr v = fold(p);
                    if (v == null) yield null;
                    sb.append(text(v));
                }
                yield new TExpr.StrC(sb.toString(), i.span());
            }
            default -> null;
        };
    }

    /** A constant at another place (so diagnostics point at the use). */
    static TExpr at(TExpr c, Span span) {
        return switch (c) {
            case TExpr.IntC i -> new TExpr.IntC(i.value(), span);
            case TExpr.DecC d -> new TExpr.DecC(d.value(), span);
            case TExpr.FloatC f -> new TExpr.FloatC(f.value(), span);
            case TExpr.BoolC b -> new TExpr.BoolC(b.value(), span);
            case TExpr.StrC s -> new TExpr.StrC(s.value(), span);
            default -> c;
        };
    }

    /** `-literal`, or null. */
    static TExpr negate(TExpr v, Span span) {
        return switch (v) {
            case TExpr.IntC i when i.value() != Long.MIN_VALUE -> new TExpr.IntC(-i.value(), span);
            case TExpr.DecC d -> new TExpr.DecC(d.value().negate(), span);
            case TExpr.FloatC f -> new TExpr.FloatC(-f.value(), span);
            default -> null;
        };
    }

    private static String text(TExpr v) {
        return switch (v) {
            case TExpr.StrC s -> s.value();
            case TExpr.IntC i -> Long.toString(i.value());
            case TExpr.DecC d -> d.value().toPlainString();
            case TExpr.FloatC f -> Double.toString(f.value());
            case TExpr.BoolC b -> Boolean.toString(b.value());
            default -> throw new IllegalStateException();
        };
    }

    private static TExpr binary(TExpr.Binary b) {
        TExpr l = fold(b.left()), r = fold(b.right());
        if (l == null || r == null) return null;
        Span s = b.span();
        try {
            if (l instanceof TExpr.IntC x && r instanceof TExpr.IntC y) {
                long a = x.value(), c = y.value();
                return switch (b.op()) {
                    case ADD -> new TExpr.IntC(Math.addExact(a, c), s);
                    case SUB -> new TExpr.IntC(Math.subtractExact(a, c), s);
                    case MUL -> new TExpr.IntC(Math.multiplyExact(a, c), s);
                    case DIV -> c == 0 || (a == Long.MIN_VALUE && c == -1) ? null : new TExpr.IntC(a / c, s);
                    case MOD -> c == 0 ? null : new TExpr.IntC(a % c, s);
                    default -> compare(b.op(), Long.compare(a, c), a == c, s);
                };
            }
            if (l instanceof TExpr.DecC x && r instanceof TExpr.DecC y) {
                BigDecimal a = x.value(), c = y.value();
                return switch (b.op()) {
                    case ADD -> new TExpr.DecC(a.add(c), s);
                    case SUB -> new TExpr.DecC(a.subtract(c), s);
                    case MUL -> new TExpr.DecC(a.multiply(c), s);
                    case DIV -> c.signum() == 0 ? null : new TExpr.DecC(divide(a, c), s);
                    case MOD -> c.signum() == 0 ? null : new TExpr.DecC(a.remainder(c), s);
                    default -> compare(b.op(), a.compareTo(c), a.compareTo(c) == 0, s);
                };
            }
            if (l instanceof TExpr.FloatC x && r instanceof TExpr.FloatC y) {
                double a = x.value(), c = y.value();
                return switch (b.op()) {
                    case ADD -> new TExpr.FloatC(a + c, s);
                    case SUB -> new TExpr.FloatC(a - c, s);
                    case MUL -> new TExpr.FloatC(a * c, s);
                    case DIV -> new TExpr.FloatC(a / c, s);
                    case MOD -> new TExpr.FloatC(a % c, s);
                    case EQ -> new TExpr.BoolC(a == c, s);
                    case NE -> new TExpr.BoolC(a != c, s);
                    case LT -> new TExpr.BoolC(a < c, s);
                    case LE -> new TExpr.BoolC(a <= c, s);
                    case GT -> new TExpr.BoolC(a > c, s);
                    case GE -> new TExpr.BoolC(a >= c, s);
                    default -> null;
                };
            }
            if (l instanceof TExpr.StrC x && r instanceof TExpr.StrC y) {
                int cmp = x.value().compareTo(y.value());
                return b.op() == Expr.BinaryOp.ADD ? new TExpr.StrC(x.value() + y.value(), s) : compare(b.op(), cmp, cmp == 0, s);
            }
            if (l instanceof TExpr.BoolC x && r instanceof TExpr.BoolC y) {
                return switch (b.op()) {
                    case EQ -> new TExpr.BoolC(x.value() == y.value(), s);
                    case NE -> new TExpr.BoolC(x.value() != y.value(), s);
                    default -> null;
                };
            }
        } catch (ArithmeticException overflow) {
            return null;
        }
        return null;
    }

    /** Decimal division exactly as the VM does it: exact when it terminates, else 34 digits half-even. */
    static BigDecimal divide(BigDecimal a, BigDecimal b) {
        try {
            return a.divide(b);
        } catch (ArithmeticException nonTerminating) {
            return a.divide(b, MathContext.DECIMAL128);
        }
    }

    private static TExpr compare(Expr.BinaryOp op, int cmp, boolean eq, Span s) {
        return switch (op) {
            case EQ -> new TExpr.BoolC(eq, s);
            case NE -> new TExpr.BoolC(!eq, s);
            case LT -> new TExpr.BoolC(cmp < 0, s);
            case LE -> new TExpr.BoolC(cmp <= 0, s);
            case GT -> new TExpr.BoolC(cmp > 0, s);
            case GE -> new TExpr.BoolC(cmp >= 0, s);
            default -> null;
        };
    }
}
