package dev.manaknight.lang.types;

import dev.manaknight.lang.source.Span;
import java.util.regex.Pattern;

/**
 * Hints for a number of one type where another is wanted. There are no implicit conversions, so
 * each hint names the method that converts, written on the value as the source spells it
 * (`qty.toDecimal()`), and only methods that exist.
 */
final class Conversions {
    private Conversions() {}

    /** Text that can take `.method()` without parentheses: a name, a field path, a literal, a call. */
    private static final Pattern SIMPLE = Pattern.compile("[\\w.]+(\\([^()]*\\))?");
    /** Longer source text is not repeated in a hint. */
    private static final int MAX_SHOWN = 32;

    /** How to make a `to` of the value at `at`, of type `from`; null unless both are number types. */
    static String hint(Ty to, Ty from, Span at) {
        String t = number(to), f = number(from);
        if (t == null || f == null || t.equals(f)) return null;
        String x = shown(at);
        return switch (f + ">" + t) {
            case "Int>Decimal", "Float>Decimal" -> "there are no implicit conversions: write `" + x + ".toDecimal()`";
            case "Int>Float", "Decimal>Float" -> "there are no implicit conversions: write `" + x + ".toFloat()`";
            case "Decimal>Int" -> "there are no implicit conversions: `" + x + ".toInt()` is an `Option<Int>`, none unless it is "
                    + "a whole number; `" + x + ".round(0).toInt()` rounds first";
            default -> "there are no implicit conversions: `" + x + ".toDecimal().round(0).toInt()` is an `Option<Int>`";
        };
    }

    /** For `a op b` of two different number types: convert the narrower side (Int to either, Float to Decimal). */
    static String operands(Ty left, Ty right, Span l, Span r) {
        String a = number(left), b = number(right);
        if (a == null || b == null || a.equals(b)) return null;
        boolean convertLeft = a.equals("Int") || a.equals("Float") && b.equals("Decimal");
        String target = convertLeft ? b : a;
        String x = shown(convertLeft ? l : r);
        String from = convertLeft ? a : b;
        return "there are no implicit conversions: convert the `" + from + "`, e.g. `" + x + ".to" + target + "()`";
    }

    private static String number(Ty t) {
        return Ty.prune(t) instanceof Ty.Con c && c.args().isEmpty()
                && (c.name().equals("Int") || c.name().equals("Decimal") || c.name().equals("Float")) ? c.name() : null;
    }

    /** The source text at `at`, parenthesised unless simple; `x` when it is long or spans lines. */
    private static String shown(Span at) {
        String text = at.file().text().substring(at.start(), at.end()).strip();
        if (text.isEmpty() || text.length() > MAX_SHOWN || text.contains("\n")) return "x";
        return SIMPLE.matcher(text).matches() ? text : "(" + text + ")";
    }
}
