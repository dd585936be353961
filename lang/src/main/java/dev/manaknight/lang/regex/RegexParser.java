package dev.manaknight.lang.regex;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the supported subset of RE2's syntax (docs/language.md, "Regular expressions") into a
 * {@link Node} tree, or throws a {@link PatternError} at the first thing outside it. Everything
 * this accepts can be matched in linear time: there are no backreferences and no lookaround.
 */
final class RegexParser {
    /** RE2's limit for a counted repetition `{n,m}`. */
    static final int MAX_REPEAT = 1000;
    /** Groups nested deeper than this are refused: the parser and the compiler recurse per level. */
    static final int MAX_NESTING = 100;
    /** Capturing groups beyond this are refused: each costs every matcher thread two ints. */
    static final int MAX_GROUPS = 100;

    /** A parsed pattern and its capturing groups' names, group 1 first (null for an unnamed one). */
    record Parsed(Node node, List<String> names) {}

    private final String p;
    private int at;
    private int depth;
    private final List<String> names = new ArrayList<>();

    private RegexParser(String pattern) { this.p = pattern; }

    static Parsed parse(String pattern) {
        var parser = new RegexParser(pattern);
        Node n = parser.alternation();
        if (parser.at < pattern.length()) {
            throw new PatternError(parser.at, parser.at + 1, "unexpected `)`: no group is open", "escape it: `\\\\)`");
        }
        return new Parsed(n, java.util.Collections.unmodifiableList(parser.names));
    }

    private boolean more() { return at < p.length(); }

    private int peek() { return p.codePointAt(at); }

    private Node alternation() {
        List<Node> alts = new ArrayList<>();
        alts.add(concatenation());
        while (more() && p.charAt(at) == '|') {
            at++;
            alts.add(concatenation());
        }
        return alts.size() == 1 ? alts.getFirst() : new Node.Alt(alts);
    }

    private Node concatenation() {
        List<Node> items = new ArrayList<>();
        while (more() && p.charAt(at) != '|' && p.charAt(at) != ')') {
            int start = at;
            Node atom = atom();
            items.add(repetitions(atom, start));
        }
        return items.size() == 1 ? items.getFirst() : new Node.Cat(items);
    }

    private Node repetitions(Node atom, int atomStart) {
        Node n = atom;
        boolean repeated = false;
        while (more()) {
            int q = at;
            char c = p.charAt(at);
            int min, max;
            if (c == '*') { min = 0; max = -1; at++; }
            else if (c == '+') { min = 1; max = -1; at++; }
            else if (c == '?') { min = 0; max = 1; at++; }
            else if (c == '{') {
                int[] counts = counted();
                if (counts == null) break; // a literal `{`
                min = counts[0];
                max = counts[1];
            } else break;
            if (repeated) throw new PatternError(q, at, "a repetition of a repetition (`" + p.substring(atomStart, at) + "`)",
                    "put the inner one in a group: `(?:…)`");
            if (n instanceof Node.Assert)
                throw new PatternError(q, at, "nothing to repeat: `" + p.substring(atomStart, q) + "` matches no text", null);
            boolean greedy = true;
            if (more() && p.charAt(at) == '?') { greedy = false; at++; }
            n = new Node.Repeat(n, min, max, greedy);
            repeated = true;
        }
        return n;
    }

    /** `{n}`, `{n,}`, `{n,m}` at `at`: the counts (max -1 for none), or null when it is no repetition (a literal `{`). */
    private int[] counted() {
        int start = at, i = at + 1;
        int n1 = i;
        while (i < p.length() && Character.isDigit(p.charAt(i)) && p.charAt(i) < 128) i++;
        if (i == n1 || i >= p.length()) return null;
        int min = number(n1, i), max = min;
        if (p.charAt(i) == ',') {
            int n2 = ++i;
            while (i < p.length() && p.charAt(i) >= '0' && p.charAt(i) <= '9') i++;
            max = i == n2 ? -1 : number(n2, i);
        }
        if (i >= p.length() || p.charAt(i) != '}') return null;
        at = i + 1;
        if (min > MAX_REPEAT || max > MAX_REPEAT)
            throw new PatternError(start, at, "a count above " + MAX_REPEAT + " in `" + p.substring(start, at) + "`", null);
        if (max != -1 && max < min)
            throw new PatternError(start, at, "the counts of `" + p.substring(start, at) + "` are the wrong way round", null);
        return new int[] {min, max};
    }

    private int number(int from, int to) {
        return to - from > 4 ? MAX_REPEAT + 1 : Integer.parseInt(p.substring(from, to));
    }

    private Node atom() {
        int start = at;
        int c = peek();
        switch (c) {
            case '(' -> { return group(); }
            case '[' -> { return new Node.Cls(charClass()); }
            case '.' -> { at++; return new Node.Any(); }
            case '^' -> { at++; return new Node.Assert(Regex.BEGIN); }
            case '$' -> { at++; return new Node.Assert(Regex.END); }
            case '\\' -> { return escape(false).node(); }
            case '*', '+', '?' -> throw new PatternError(start, start + 1, "nothing to repeat before `" + (char) c + "`",
                    "to match a `" + (char) c + "` itself, escape it: `\\\\" + (char) c + "`");
            default -> {
                if (c == '{' && counted() != null) {
                    throw new PatternError(start, at, "nothing to repeat before `" + p.substring(start, at) + "`", null);
                }
                at += Character.charCount(c);
                return new Node.Lit(c);
            }
        }
    }

    private Node group() {
        int open = at;
        at++;
        boolean capturing = true;
        String name = null;
        if (p.startsWith("?", at)) {
            if (p.startsWith("?:", at)) {
                at += 2;
                capturing = false;
            } else if (p.startsWith("?P<", at) || p.startsWith("?<", at) && !p.startsWith("?<=", at) && !p.startsWith("?<!", at)) {
                name = groupName(open);
            } else if (p.startsWith("?=", at) || p.startsWith("?!", at) || p.startsWith("?<=", at) || p.startsWith("?<!", at)) {
                int end = at + (p.startsWith("?<", at) ? 3 : 2);
                throw new PatternError(open, end, "lookaround `(" + p.substring(at, end) + "…)` is not supported",
                        "patterns run in linear time (RE2 syntax), which rules out lookaround");
            } else {
                throw new PatternError(open, Math.min(p.length(), at + 2), "flags and `(?…)` forms are not supported",
                        "write a plain group `(…)` or `(?:…)`; for case, list both: `[Aa]`");
            }
        }
        int index = 0;
        if (capturing) {
            if (names.size() >= MAX_GROUPS)
                throw new PatternError(open, open + 1, "more than " + MAX_GROUPS + " capturing groups",
                        "write `(?:…)` for a group whose text you do not read");
            names.add(name);
            index = names.size();
        }
        if (++depth > MAX_NESTING) throw new PatternError(open, open + 1, "groups nested deeper than " + MAX_NESTING, null);
        Node inner = alternation();
        depth--;
        if (!more()) throw new PatternError(open, open + 1, "this group is never closed: a `)` is missing", null);
        at++; // ')'
        return capturing ? new Node.Group(inner, index, name) : inner;
    }

    /** `?<name>` or `?P<name>` at `at` (just after the group's `(`): the name, an identifier used by no other group. */
    private String groupName(int open) {
        int from = at + (p.startsWith("?P<", at) ? 3 : 2);
        int close = p.indexOf('>', from);
        if (close < 0) throw new PatternError(open, p.length(), "a group name without its closing `>`", null);
        at = close + 1;
        String name = p.substring(from, close);
        boolean identifier = !name.isEmpty() && !Character.isDigit(name.charAt(0))
                && name.chars().allMatch(ch -> ch < 128 && Classes.isWord(ch));
        if (!identifier)
            throw new PatternError(from, close, "`" + name + "` is not a group name",
                    "a name is letters, digits and `_`, not starting with a digit: `(?<year>\\\\d{4})`");
        if (names.contains(name))
            throw new PatternError(from, close, "two groups are named `" + name + "`", "give each group its own name");
        return name;
    }

    /** An escape outside or inside a class: a code point, or a class / assertion (outside only). */
    private record Escaped(int cp, int[] ranges, Node node) {}

    private Escaped escape(boolean inClass) {
        int start = at;
        at++;
        if (!more())
            throw new PatternError(start, start + 1, "a `\\` at the end of the pattern", "write `\\\\\\\\` for a backslash");
        int e = peek();
        at += Character.charCount(e);
        int[] cls = switch (e) {
            case 'd' -> Classes.DIGIT;
            case 'D' -> Classes.complement(Classes.DIGIT);
            case 'w' -> Classes.WORD;
            case 'W' -> Classes.complement(Classes.WORD);
            case 's' -> Classes.SPACE;
            case 'S' -> Classes.complement(Classes.SPACE);
            default -> null;
        };
        if (cls != null) return new Escaped(-1, cls, new Node.Cls(cls));
        int cp = switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'f' -> '\f';
            case 'v' -> 0x0B;
            case 'x' -> hex(start);
            default -> -1;
        };
        if (cp >= 0) return new Escaped(cp, null, new Node.Lit(cp));
        if (!inClass) {
            int kind = switch (e) {
                case 'b' -> Regex.WORD_BOUNDARY;
                case 'B' -> Regex.NOT_WORD_BOUNDARY;
                case 'A' -> Regex.BEGIN;
                case 'z' -> Regex.END;
                default -> -1;
            };
            if (kind >= 0) return new Escaped(-1, null, new Node.Assert(kind));
        }
        if (e < 128 && !Character.isLetterOrDigit(e)) return new Escaped(e, null, new Node.Lit(e));
        if (e >= '1' && e <= '9')
            throw new PatternError(start, at, "backreferences (`\\" + (char) e + "`) are not supported",
                    "patterns run in linear time (RE2 syntax), which rules out backreferences");
        if (e == 'p' || e == 'P')
            throw new PatternError(start, at, "Unicode classes (`\\" + (char) e + "{…}`) are not supported",
                    "list the ranges: `[a-zà-ÿ]`");
        throw new PatternError(start, at, "unknown escape `\\" + new String(Character.toChars(e)) + "`",
                "the escapes are \\d \\D \\w \\W \\s \\S \\b \\B \\A \\z \\n \\t \\r \\f \\v \\xHH \\x{H…}"
                        + " and \\ before punctuation");
    }

    /** `\xHH` or `\x{H…}` after the `x`. */
    private int hex(int start) {
        int from, to;
        if (more() && p.charAt(at) == '{') {
            from = at + 1;
            to = p.indexOf('}', from);
            if (to < 0) throw new PatternError(start, p.length(), "`\\x{` without its `}`", null);
            at = to + 1;
        } else {
            from = at;
            to = Math.min(p.length(), at + 2);
            at = to;
        }
        boolean braced = p.charAt(from - 1) == '{';
        boolean digits = to > from && p.substring(from, to).chars().allMatch(ch -> Character.digit(ch, 16) >= 0);
        if (!digits || to - from > 6 || !braced && to - from < 2)
            throw new PatternError(start, at, "a bad hexadecimal escape `" + p.substring(start, at) + "`",
                    "write `\\x41` or `\\x{1F600}`");
        int cp = Integer.parseInt(p.substring(from, to), 16);
        if (cp > Character.MAX_CODE_POINT)
            throw new PatternError(start, at, "`" + p.substring(start, at) + "` is past the last code point", null);
        return cp;
    }

    /** `[…]` at `at`: its ranges, already complemented when negated. */
    private int[] charClass() {
        int open = at;
        at++;
        boolean negated = more() && p.charAt(at) == '^';
        if (negated) at++;
        var ranges = new ArrayList<int[]>();
        boolean first = true;
        while (true) {
            if (!more()) throw new PatternError(open, open + 1, "this class is never closed: a `]` is missing", null);
            int c = peek();
            if (c == ']' && !first) { at++; break; }
            first = false;
            if (c == '[' && p.startsWith("[:", at))
                throw new PatternError(at, Math.min(p.length(), at + 2), "POSIX classes (`[:alpha:]`) are not supported",
                        "list the ranges: `[a-zA-Z]`");
            int lo;
            int itemStart = at;
            if (c == '\\') {
                Escaped e = escape(true);
                if (e.ranges() != null) {
                    for (int i = 0; i < e.ranges().length; i += 2) ranges.add(new int[] {e.ranges()[i], e.ranges()[i + 1]});
                    continue;
                }
                lo = e.cp();
            } else {
                lo = c;
                at += Character.charCount(c);
            }
            int hi = lo;
            if (at + 1 < p.length() && p.charAt(at) == '-' && p.charAt(at + 1) != ']') {
                at++;
                int d = peek();
                if (d == '\\') {
                    Escaped e = escape(true);
                    if (e.ranges() != null) throw new PatternError(itemStart, at, "a range cannot end in a class", null);
                    hi = e.cp();
                } else {
                    hi = d;
                    at += Character.charCount(d);
                }
                if (hi < lo)
                    throw new PatternError(itemStart, at, "the range `" + p.substring(itemStart, at) + "` is backwards", null);
            }
            ranges.add(new int[] {lo, hi});
        }
        int[] merged = Classes.merge(ranges);
        return negated ? Classes.complement(merged) : merged;
    }
}
