package dev.manaknight.lang.types;

import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.bytecode.Builtin;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.ast.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in methods on values (docs/language.md): resolves `receiver.name(args)` by the
 * receiver's type to a {@link Builtin}, an inline lambda operation, or a conversion.
 */
final class Methods {
    private final BodyChecker body;

    /** Every method name by receiver type, for "is a method" and "did you mean" messages. */
    static final Map<String, List<String>> NAMES = Map.ofEntries(
            Map.entry("String", List.of("len", "isEmpty", "upper", "lower", "trim", "contains", "startsWith", "endsWith",
                    "split", "replace", "toInt", "toDecimal", "toString", "slice", "indexOf", "padStart", "padEnd", "repeat",
                    "sha256", "sha512", "hmacSha256", "constantTimeEquals", "base64", "base64url", "hex", "fromBase64",
                    "fromBase64url", "fromHex", "matches", "find", "findAll", "replaceAll", "captures", "toInstant")),
            Map.entry("Int", List.of("toString", "toDecimal", "toFloat", "abs", "min", "max", "format", "millis", "seconds",
                    "minutes", "hours", "days")),
            Map.entry("Decimal", List.of("toString", "toDecimal", "toFloat", "toInt", "abs", "min", "max", "round", "format")),
            Map.entry("Float", List.of("toString", "toDecimal", "toFloat", "abs", "min", "max", "round")),
            Map.entry("Bool", List.of("toString")),
            Map.entry("Instant", List.of("toString", "plus", "minus", "since", "isBefore", "isAfter", "epochMillis")),
            Map.entry("Duration", List.of("toString", "plus", "minus", "toMillis")),
            Map.entry(Checker.SECRET, List.of("constantTimeEquals", "hmacSha256")),
            Map.entry("List", List.of("len", "get", "isEmpty", "map", "filter", "fold", "any", "all", "find", "first", "last",
                    "sortBy", "take", "drop", "reverse", "contains", "join")),
            Map.entry("Option", List.of("getOr", "isSome", "isNone", "map", "andThen", "okOr")),
            Map.entry("Result", List.of("getOr", "isOk", "isErr", "map", "mapErr", "andThen")),
            Map.entry("Map", List.of("get", "keys", "values", "has", "with", "len")),
            Map.entry("Json", List.of("get", "asText", "asInt", "asDecimal", "asBool", "asList", "asMap", "isNull", "toString")),
            Map.entry(Checker.RESPONSE_TYPE, List.of("json")));

    /** What `Json.name(…)` may be: build, parse. */
    static final List<String> JSON_STATICS = List.of("from", "parse", "null");

    /** Names other languages use for a method this one has, for "did you mean". */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("flatMap", "andThen"), Map.entry("unwrapOr", "getOr"), Map.entry("getOrElse", "getOr"),
            Map.entry("orElse", "getOr"), Map.entry("okOrElse", "okOr"), Map.entry("substring", "slice"),
            Map.entry("substr", "slice"), Map.entry("padLeft", "padStart"), Map.entry("padRight", "padEnd"),
            Map.entry("toFixed", "format"), Map.entry("find", "indexOf"), Map.entry("test", "matches"),
            Map.entry("match", "find"), Map.entry("matchAll", "findAll"), Map.entry("replaceRegex", "replaceAll"),
            Map.entry("pregMatch", "captures"), Map.entry("groups", "captures"),
            Map.entry("btoa", "base64"), Map.entry("atob", "fromBase64"), Map.entry("hmac", "hmacSha256"),
            Map.entry("secureEquals", "constantTimeEquals"), Map.entry("timingSafeEqual", "constantTimeEquals"),
            Map.entry("add", "plus"), Map.entry("subtract", "minus"), Map.entry("until", "since"),
            Map.entry("before", "isBefore"),
            Map.entry("after", "isAfter"), Map.entry("toEpochMilli", "epochMillis"), Map.entry("parseInstant", "toInstant"),
            Map.entry("millis", "toMillis"), Map.entry("sec", "seconds"), Map.entry("ms", "millis"),
            Map.entry("asString", "asText"), Map.entry("asObject", "asMap"), Map.entry("asArray", "asList"),
            Map.entry("stringify", "toString"), Map.entry("toJson", "toString"), Map.entry("of", "from"),
            Map.entry("decode", "parse"));

    Methods(BodyChecker body) {
        this.body = body;
    }

    static boolean isMethod(String type, String name) {
        List<String> names = NAMES.get(type);
        return names != null && names.contains(name);
    }

    TExpr call(TExpr target, Expr.MethodCall m, Ty hint) {
        Ty t = body.resolveReceiver(target);
        String method = m.name().name();
        List<Expr> args = m.args();
        Span span = m.span();
        if (!(t instanceof Ty.Con c)) {
            body.inferArguments(args);
            return body.poison(span);
        }
        String type = c.name();
        TExpr r = switch (type) {
            case "String" -> string(target, method, args, span);
            case "Int" -> number(target, "Int", method, args, span);
            case "Decimal" -> number(target, "Decimal", method, args, span);
            case "Float" -> number(target, "Float", method, args, span);
            case "Bool" -> method.equals("toString") && body.arity(args, 0, span, "`toString`")
                    ? new TExpr.Interp(List.of(target), span) : null;
            case "Instant" -> instant(target, method, args, span);
            case "Duration" -> duration(target, method, args, span);
            case Checker.SECRET -> secret(target, method, args, span, m);
            case "List" -> list(target, Ty.arg(t, 0), method, args, span);
            case "Option" -> option(target, Ty.arg(t, 0), method, args, span);
            case "Result" -> result(target, Ty.arg(t, 0), Ty.arg(t, 1), method, args, span);
            case "Map" -> map(target, Ty.arg(t, 0), method, args, span);
            case "Json" -> json(target, method, args, span);
            default -> type.equals(Checker.RESPONSE_TYPE) && method.equals("json") && body.arity(args, 0, span, "`json`")
                    ? responseJson(target, span) : null;
        };
        if (r != null) return r;
        List<String> known = NAMES.getOrDefault(type, List.of());
        if (!known.contains(method)) {
            String alias = ALIASES.get(method);
            String near = alias != null && known.contains(alias) ? alias : Names.nearest(method, known);
            body.error("E0207", "`" + BodyChecker.displayType(Ty.show(t)) + "` has no method `" + method + "`", m.name().span(), "unknown method",
                    near != null ? "did you mean `" + near + "`?" : known.isEmpty() ? null : "its methods are " + String.join(", ", known));
            body.inferArguments(args);
        }
        return body.poison(span);
    }

    private TExpr builtin(Builtin b, TExpr target, List<Expr> args, List<Ty> params, Ty result, Span span, String name) {
        if (!body.arity(args, params.size(), span, "`" + name + "`")) return body.poison(span);
        List<TExpr> all = new ArrayList<>();
        all.add(target);
        for (int i = 0; i < params.size(); i++) all.add(body.check(args.get(i), params.get(i)));
        return new TExpr.CallBuiltin(b, all, result, span);
    }

    /** A Secret's two uses; anything that would give its text (`toString`, …) is E0410. */
    private TExpr secret(TExpr s, String method, List<Expr> args, Span span, Expr.MethodCall m) {
        return switch (method) {
            case "constantTimeEquals" -> builtin(Builtin.SECRET_EQUALS, s, args, List.of(Ty.STRING), Ty.BOOL, span, method);
            case "hmacSha256" -> builtin(Builtin.SECRET_HMAC_SHA256, s, args, List.of(Ty.STRING), Ty.STRING, span, method);
            default -> {
                body.error("E0410", "a Secret has no method `" + method + "`", m.name().span(),
                        method.equals("toString") ? "a Secret cannot be turned into text" : "not one of a Secret's uses",
                        "a Secret is never shown, logged, compared with `==` or answered; " + Checker.SECRET_USES);
                body.inferArguments(args);
                yield body.poison(span);
            }
        };
    }

    private TExpr string(TExpr s, String method, List<Expr> args, Span span) {
        return switch (method) {
            case "len" -> builtin(Builtin.STR_LEN, s, args, List.of(), Ty.INT, span, method);
            case "upper" -> builtin(Builtin.STR_UPPER, s, args, List.of(), Ty.STRING, span, method);
            case "lower" -> builtin(Builtin.STR_LOWER, s, args, List.of(), Ty.STRING, span, method);
            case "trim" -> builtin(Builtin.STR_TRIM, s, args, List.of(), Ty.STRING, span, method);
            case "contains" -> builtin(Builtin.STR_CONTAINS, s, args, List.of(Ty.STRING), Ty.BOOL, span, method);
            case "startsWith" -> builtin(Builtin.STR_STARTS_WITH, s, args, List.of(Ty.STRING), Ty.BOOL, span, method);
            case "endsWith" -> builtin(Builtin.STR_ENDS_WITH, s, args, List.of(Ty.STRING), Ty.BOOL, span, method);
            case "split" -> builtin(Builtin.STR_SPLIT, s, args, List.of(Ty.STRING), Ty.list(Ty.STRING), span, method);
            case "replace" -> builtin(Builtin.STR_REPLACE, s, args, List.of(Ty.STRING, Ty.STRING), Ty.STRING, span, method);
            case "toInt" -> builtin(Builtin.STR_TO_INT, s, args, List.of(), Ty.option(Ty.INT), span, method);
            case "toDecimal" -> builtin(Builtin.STR_TO_DECIMAL, s, args, List.of(), Ty.option(Ty.DECIMAL), span, method);
            case "slice" -> builtin(Builtin.STR_SLICE, s, args, List.of(Ty.INT, Ty.INT), Ty.STRING, span, method);
            case "indexOf" -> builtin(Builtin.STR_INDEX_OF, s, args, List.of(Ty.STRING), Ty.option(Ty.INT), span, method);
            case "padStart" -> builtin(Builtin.STR_PAD_START, s, args, List.of(Ty.INT, Ty.STRING), Ty.STRING, span, method);
            case "padEnd" -> builtin(Builtin.STR_PAD_END, s, args, List.of(Ty.INT, Ty.STRING), Ty.STRING, span, method);
            case "repeat" -> builtin(Builtin.STR_REPEAT, s, args, List.of(Ty.INT), Ty.STRING, span, method);
            case "sha256" -> builtin(Builtin.STR_SHA256, s, args, List.of(), Ty.STRING, span, method);
            case "sha512" -> builtin(Builtin.STR_SHA512, s, args, List.of(), Ty.STRING, span, method);
            case "hmacSha256" -> builtin(Builtin.STR_HMAC_SHA256, s, args, List.of(Ty.STRING), Ty.STRING, span, method);
            case "constantTimeEquals" ->
                    builtin(Builtin.STR_EQUALS_CONSTANT_TIME, s, args, List.of(Ty.STRING), Ty.BOOL, span, method);
            case "base64" -> builtin(Builtin.STR_BASE64, s, args, List.of(), Ty.STRING, span, method);
            case "base64url" -> builtin(Builtin.STR_BASE64URL, s, args, List.of(), Ty.STRING, span, method);
            case "hex" -> builtin(Builtin.STR_HEX, s, args, List.of(), Ty.STRING, span, method);
            case "fromBase64" -> builtin(Builtin.STR_FROM_BASE64, s, args, List.of(), Ty.option(Ty.STRING), span, method);
            case "fromBase64url" -> builtin(Builtin.STR_FROM_BASE64URL, s, args, List.of(), Ty.option(Ty.STRING), span, method);
            case "toInstant" -> builtin(Builtin.STR_TO_INSTANT, s, args, List.of(), Ty.option(Ty.INSTANT), span, method);
            case "fromHex" -> builtin(Builtin.STR_FROM_HEX, s, args, List.of(), Ty.option(Ty.STRING), span, method);
            case "matches" -> regex(Builtin.RE_MATCHES, s, args, List.of(Ty.STRING), Ty.BOOL, span, method);
            case "find" -> regex(Builtin.RE_FIND, s, args, List.of(Ty.STRING), Ty.option(Ty.STRING), span, method);
            case "findAll" -> regex(Builtin.RE_FIND_ALL, s, args, List.of(Ty.STRING), Ty.list(Ty.STRING), span, method);
            case "captures" ->
                    regex(Builtin.RE_CAPTURES, s, args, List.of(Ty.STRING), Ty.option(Ty.map(Ty.STRING)), span, method);
            case "replaceAll" -> regex(Builtin.RE_REPLACE_ALL, s, args, List.of(Ty.STRING, Ty.STRING), Ty.STRING, span, method);
            case "toString" -> body.arity(args, 0, span, "`toString`") ? s : body.poison(span);
            case "isEmpty" -> body.arity(args, 0, span, "`isEmpty`")
                    ? new TExpr.Binary(Expr.BinaryOp.EQ, new TExpr.CallBuiltin(Builtin.STR_LEN, List.of(s), Ty.INT, span),
                            new TExpr.IntC(0, span), Ty.INT, Ty.BOOL, span)
                    : body.poison(span);
            default -> null;
        };
    }

    /** A `Json` value's methods: members and elements by `get`, typed views as Options, its text. */
    private TExpr json(TExpr j, String method, List<Expr> args, Span span) {
        return switch (method) {
            case "get" -> {
                if (!body.arity(args, 1, span, "`get`")) yield body.poison(span);
                TExpr at = body.infer(args.getFirst(), null);
                Ty t = Ty.prune(at.ty());
                if (Ty.is(t, "Int")) yield new TExpr.CallBuiltin(Builtin.JSON_AT, List.of(j, at), Ty.option(Ty.JSON), span);
                if (!Ty.is(t, "String") && !body.unifier.unify(t, Ty.STRING)) {
                    body.error("E0401", "`Json.get` takes a member's name (String) or an element's index (Int)", at.span(),
                            "this is `" + Ty.show(t) + "`", null);
                    yield body.poison(span);
                }
                yield new TExpr.CallBuiltin(Builtin.JSON_GET, List.of(j, at), Ty.option(Ty.JSON), span);
            }
            case "asText" -> builtin(Builtin.JSON_AS_TEXT, j, args, List.of(), Ty.option(Ty.STRING), span, method);
            case "asInt" -> builtin(Builtin.JSON_AS_INT, j, args, List.of(), Ty.option(Ty.INT), span, method);
            case "asDecimal" -> builtin(Builtin.JSON_AS_DECIMAL, j, args, List.of(), Ty.option(Ty.DECIMAL), span, method);
            case "asBool" -> builtin(Builtin.JSON_AS_BOOL, j, args, List.of(), Ty.option(Ty.BOOL), span, method);
            case "asList" -> builtin(Builtin.JSON_AS_LIST, j, args, List.of(), Ty.option(Ty.list(Ty.JSON)), span, method);
            case "asMap" -> builtin(Builtin.JSON_AS_MAP, j, args, List.of(), Ty.option(Ty.map(Ty.JSON)), span, method);
            case "isNull" -> builtin(Builtin.JSON_IS_NULL, j, args, List.of(), Ty.BOOL, span, method);
            case "toString" -> builtin(Builtin.JSON_TO_TEXT, j, args, List.of(), Ty.STRING, span, method);
            default -> null;
        };
    }

    /**
     * `Json.from(v)` (any value but a Secret, E0410), `Json.null()`, `Json.parse(text)` (a
     * `Result<Json, String>`: the error says what is wrong and where).
     */
    /** A response's `r.json()`: its body read as JSON, `Json.parse(r.body)`. */
    private TExpr responseJson(TExpr response, Span span) {
        int body = TypeDef.RESPONSE.fieldIndex("body");
        TExpr text = new TExpr.GetField(response, this.body.app.typeIndexOf(Checker.RESPONSE_TYPE), body, Ty.STRING, span);
        return new TExpr.CallBuiltin(Builtin.JSON_PARSE, List.of(text), Ty.result(Ty.JSON, Ty.STRING), span);
    }

    TExpr jsonStatic(Expr.MethodCall m) {
        String name = m.name().name();
        List<Expr> args = m.args();
        Span span = m.span();
        return switch (name) {
            case "from" -> {
                if (!body.arity(args, 1, span, "`Json.from`")) yield body.poison(span);
                TExpr v = body.notSecret(body.infer(args.getFirst(), null), "as Json");
                yield v instanceof TExpr.Poison ? body.poison(span) : new TExpr.ToJson(v, span);
            }
            case "null" -> body.arity(args, 0, span, "`Json.null`") ? new TExpr.ToJson(new TExpr.UnitC(span), span)
                    : body.poison(span);
            case "parse" -> {
                if (!body.arity(args, 1, span, "`Json.parse`")) yield body.poison(span);
                yield new TExpr.CallBuiltin(Builtin.JSON_PARSE, List.of(body.check(args.getFirst(), Ty.STRING)),
                        Ty.result(Ty.JSON, Ty.STRING), span);
            }
            default -> {
                String alias = ALIASES.get(name);
                String near = alias != null && JSON_STATICS.contains(alias) ? alias : Names.nearest(name, JSON_STATICS);
                body.error("E0207", "`Json` has no function `" + name + "`", m.name().span(), "unknown function",
                        near != null ? "did you mean `Json." + near + "`?" : "its functions are from, null and parse");
                body.inferArguments(args);
                yield body.poison(span);
            }
        };
    }

    private TExpr instant(TExpr t, String method, List<Expr> args, Span span) {
        return switch (method) {
            case "toString" -> body.arity(args, 0, span, "`toString`") ? new TExpr.Interp(List.of(t), span) : body.poison(span);
            case "plus" -> builtin(Builtin.INSTANT_PLUS, t, args, List.of(Ty.DURATION), Ty.INSTANT, span, method);
            case "minus" -> builtin(Builtin.INSTANT_MINUS, t, args, List.of(Ty.DURATION), Ty.INSTANT, span, method);
            case "since" -> builtin(Builtin.INSTANT_SINCE, t, args, List.of(Ty.INSTANT), Ty.DURATION, span, method);
            case "isBefore" -> builtin(Builtin.INSTANT_IS_BEFORE, t, args, List.of(Ty.INSTANT), Ty.BOOL, span, method);
            case "isAfter" -> builtin(Builtin.INSTANT_IS_AFTER, t, args, List.of(Ty.INSTANT), Ty.BOOL, span, method);
            case "epochMillis" -> builtin(Builtin.INSTANT_EPOCH_MILLIS, t, args, List.of(), Ty.INT, span, method);
            default -> null;
        };
    }

    private TExpr duration(TExpr d, String method, List<Expr> args, Span span) {
        return switch (method) {
            case "toString" -> body.arity(args, 0, span, "`toString`") ? new TExpr.Interp(List.of(d), span) : body.poison(span);
            case "plus" -> builtin(Builtin.DURATION_PLUS, d, args, List.of(Ty.DURATION), Ty.DURATION, span, method);
            case "minus" -> builtin(Builtin.DURATION_MINUS, d, args, List.of(Ty.DURATION), Ty.DURATION, span, method);
            case "toMillis" -> builtin(Builtin.DURATION_TO_MILLIS, d, args, List.of(), Ty.INT, span, method);
            default -> null;
        };
    }

    /** `n.seconds()` and the other units: a Duration of n units, the unit's milliseconds a constant argument. */
    private TExpr durationOf(TExpr n, long unitMillis, List<Expr> args, Span span, String name) {
        if (!body.arity(args, 0, span, "`" + name + "`")) return body.poison(span);
        return new TExpr.CallBuiltin(Builtin.DURATION_OF, List.of(n, new TExpr.IntC(unitMillis, span)), Ty.DURATION, span);
    }

    /** A regex method: its first argument, the pattern, is checked now ({@link RegexLiterals}). */
    private TExpr regex(Builtin b, TExpr s, List<Expr> args, List<Ty> params, Ty result, Span span, String name) {
        if (!args.isEmpty()) RegexLiterals.check(body, args.getFirst(), name);
        return builtin(b, s, args, params, result, span, name);
    }

    private TExpr number(TExpr n, String type, String method, List<Expr> args, Span span) {
        boolean isInt = type.equals("Int"), isDec = type.equals("Decimal");
        Ty self = isInt ? Ty.INT : isDec ? Ty.DECIMAL : Ty.FLOAT;
        return switch (method) {
            case "toString" -> body.arity(args, 0, span, "`toString`") ? new TExpr.Interp(List.of(n), span) : body.poison(span);
            case "toDecimal" -> isDec ? (body.arity(args, 0, span, "`toDecimal`") ? n : body.poison(span))
                    : builtin(isInt ? Builtin.INT_TO_DECIMAL : Builtin.FLT_TO_DECIMAL, n, args, List.of(), Ty.DECIMAL, span, method);
            case "toFloat" -> !isInt && !isDec ? (body.arity(args, 0, span, "`toFloat`") ? n : body.poison(span))
                    : builtin(isInt ? Builtin.INT_TO_FLOAT : Builtin.DEC_TO_FLOAT, n, args, List.of(), Ty.FLOAT, span, method);
            case "abs" -> builtin(isInt ? Builtin.INT_ABS : isDec ? Builtin.DEC_ABS : Builtin.FLT_ABS, n, args, List.of(), self, span, method);
            case "min" -> builtin(isInt ? Builtin.INT_MIN : isDec ? Builtin.DEC_MIN : Builtin.FLT_MIN, n, args, List.of(self), self, span, method);
            case "max" -> builtin(isInt ? Builtin.INT_MAX : isDec ? Builtin.DEC_MAX : Builtin.FLT_MAX, n, args, List.of(self), self, span, method);
            case "round" -> isInt ? null : builtin(isDec ? Builtin.DEC_ROUND : Builtin.FLT_ROUND, n, args, List.of(Ty.INT), self, span, method);
            case "toInt" -> isDec ? builtin(Builtin.DEC_TO_INT, n, args, List.of(), Ty.option(Ty.INT), span, method) : null;
            case "millis" -> isInt ? durationOf(n, 1, args, span, method) : null;
            case "seconds" -> isInt ? durationOf(n, 1_000, args, span, method) : null;
            case "minutes" -> isInt ? durationOf(n, 60_000, args, span, method) : null;
            case "hours" -> isInt ? durationOf(n, 3_600_000, args, span, method) : null;
            case "days" -> isInt ? durationOf(n, 86_400_000, args, span, method) : null;
            case "format" -> isInt ? builtin(Builtin.INT_FORMAT, n, args, List.of(Ty.STRING), Ty.STRING, span, method)
                    : isDec ? builtin(Builtin.DEC_FORMAT, n, args, List.of(Ty.INT, Ty.STRING), Ty.STRING, span, method) : null;
            default -> null;
        };
    }

    private TExpr list(TExpr xs, Ty elem, String method, List<Expr> args, Span span) {
        return switch (method) {
            case "len" -> body.arity(args, 0, span, "`len`") ? new TExpr.CallBuiltin(null, List.of(xs), Ty.INT, span) : body.poison(span);
            case "get" -> builtin(Builtin.LIST_GET, xs, args, List.of(Ty.INT), Ty.option(elem), span, method);
            case "isEmpty" -> builtin(Builtin.LIST_IS_EMPTY, xs, args, List.of(), Ty.BOOL, span, method);
            case "first" -> builtin(Builtin.LIST_FIRST, xs, args, List.of(), Ty.option(elem), span, method);
            case "last" -> builtin(Builtin.LIST_LAST, xs, args, List.of(), Ty.option(elem), span, method);
            case "take" -> builtin(Builtin.LIST_TAKE, xs, args, List.of(Ty.INT), Ty.list(elem), span, method);
            case "drop" -> builtin(Builtin.LIST_DROP, xs, args, List.of(Ty.INT), Ty.list(elem), span, method);
            case "reverse" -> builtin(Builtin.LIST_REVERSE, xs, args, List.of(), Ty.list(elem), span, method);
            case "contains" -> builtin(Builtin.LIST_CONTAINS, xs, args, List.of(elem), Ty.BOOL, span, method);
            case "join" -> {
                if (!body.unifier.unify(elem, Ty.STRING))
                    body.error("E0401", "`join` needs a `List<String>`", xs.span(), "this is `List<" + Ty.show(elem) + ">`",
                            "convert first: `xs.map(x -> x.toString()).join(sep)`");
                yield builtin(Builtin.LIST_JOIN, xs, args, List.of(Ty.STRING), Ty.STRING, span, method);
            }
            case "map" -> lambdaOp(TExpr.LambdaKind.MAP, xs, null, args, 1, List.of(elem), null, span, method, 3);
            case "filter" -> lambdaOp(TExpr.LambdaKind.FILTER, xs, null, args, 1, List.of(elem), Ty.BOOL, span, method, 3);
            case "any" -> lambdaOp(TExpr.LambdaKind.ANY, xs, null, args, 1, List.of(elem), Ty.BOOL, span, method, 2);
            case "all" -> lambdaOp(TExpr.LambdaKind.ALL, xs, null, args, 1, List.of(elem), Ty.BOOL, span, method, 2);
            case "find" -> lambdaOp(TExpr.LambdaKind.FIND, xs, null, args, 1, List.of(elem), Ty.BOOL, span, method, 2);
            case "sortBy" -> lambdaOp(TExpr.LambdaKind.SORT_BY, xs, null, args, 1, List.of(elem), null, span, method, 3);
            case "fold" -> {
                if (!body.arity(args, 2, span, "`fold`")) yield body.poison(span);
                TExpr init = body.infer(args.get(0), null);
                yield lambdaOp(TExpr.LambdaKind.FOLD, xs, init, args.subList(1, 2), 1, List.of(init.ty(), elem), init.ty(), span, method, 2);
            }
            default -> null;
        };
    }

    private TExpr option(TExpr o, Ty inner, String method, List<Expr> args, Span span) {
        return switch (method) {
            case "getOr" -> builtin(Builtin.OPT_GET_OR, o, args, List.of(inner), inner, span, method);
            case "isSome" -> builtin(Builtin.OPT_IS_SOME, o, args, List.of(), Ty.BOOL, span, method);
            case "isNone" -> builtin(Builtin.OPT_IS_NONE, o, args, List.of(), Ty.BOOL, span, method);
            case "map" -> lambdaOp(TExpr.LambdaKind.OPTION_MAP, o, null, args, 1, List.of(inner), null, span, method, 1);
            case "andThen" -> lambdaOp(TExpr.LambdaKind.OPTION_AND_THEN, o, null, args, 1, List.of(inner),
                    Ty.option(body.unifier.fresh("option value")), span, method, 1);
            case "okOr" -> {
                if (!body.arity(args, 1, span, "`okOr`")) yield body.poison(span);
                TExpr e = body.infer(args.getFirst(), null);
                yield sumOp(TExpr.SumKind.OK_OR, o, e, Ty.result(inner, e.ty()), span);
            }
            default -> null;
        };
    }

    private TExpr result(TExpr r, Ty ok, Ty err, String method, List<Expr> args, Span span) {
        return switch (method) {
            case "isOk", "isErr" -> body.arity(args, 0, span, "`" + method + "`")
                    ? sumOp(method.equals("isOk") ? TExpr.SumKind.IS_OK : TExpr.SumKind.IS_ERR, r, null, Ty.BOOL, span)
                    : body.poison(span);
            case "getOr" -> body.arity(args, 1, span, "`getOr`")
                    ? sumOp(TExpr.SumKind.RESULT_GET_OR, r, body.check(args.getFirst(), ok), ok, span) : body.poison(span);
            case "map" -> lambdaOp(TExpr.LambdaKind.RESULT_MAP, r, null, args, 1, List.of(ok), null, span, method, 1);
            case "mapErr" -> lambdaOp(TExpr.LambdaKind.RESULT_MAP_ERR, r, null, args, 1, List.of(err), null, span, method, 1);
            case "andThen" -> lambdaOp(TExpr.LambdaKind.RESULT_AND_THEN, r, null, args, 1, List.of(ok),
                    Ty.result(body.unifier.fresh("ok type"), err), span, method, 1);
            default -> null;
        };
    }

    /** An inline Option/Result operation with its scratch slots: the receiver, and the argument when there is one. */
    private TExpr sumOp(TExpr.SumKind kind, TExpr receiver, TExpr arg, Ty ty, Span span) {
        int[] temps = arg == null ? new int[0] : new int[] {body.scratch(), body.scratch()};
        return new TExpr.SumOp(kind, receiver, arg, temps, ty, span);
    }

    private TExpr map(TExpr m, Ty value, String method, List<Expr> args, Span span) {
        return switch (method) {
            case "get" -> builtin(Builtin.MAP_GET, m, args, List.of(Ty.STRING), Ty.option(value), span, method);
            case "keys" -> builtin(Builtin.MAP_KEYS, m, args, List.of(), Ty.list(Ty.STRING), span, method);
            case "values" -> builtin(Builtin.MAP_VALUES, m, args, List.of(), Ty.list(value), span, method);
            case "has" -> builtin(Builtin.MAP_HAS, m, args, List.of(Ty.STRING), Ty.BOOL, span, method);
            case "with" -> builtin(Builtin.MAP_WITH, m, args, List.of(Ty.STRING, value), Ty.map(value), span, method);
            case "len" -> builtin(Builtin.MAP_LEN, m, args, List.of(), Ty.INT, span, method);
            default -> null;
        };
    }

    private static final Set<String> SORT_KEYS = Set.of("Int", "Decimal", "Float", "String", "Instant");

    private TExpr lambdaOp(TExpr.LambdaKind kind, TExpr receiver, TExpr extra, List<Expr> args, int n, List<Ty> params,
                           Ty result, Span span, String name, int temps) {
        if (!body.arity(args, n, span, "`" + name + "`")) return body.poison(span);
        int[] scratch = new int[temps];
        for (int i = 0; i < temps; i++) scratch[i] = body.scratch();
        BodyChecker.Lambda l = body.lambda(args.getFirst(), params, result, name);
        if (l == null) return body.poison(span);
        Ty ty = switch (kind) {
            case MAP -> Ty.list(l.body().ty());
            case FILTER, SORT_BY -> receiver.ty();
            case FOLD -> extra.ty();
            case ANY, ALL -> Ty.BOOL;
            case FIND -> Ty.option(params.getFirst());
            case OPTION_MAP -> Ty.option(l.body().ty());
            case OPTION_AND_THEN, RESULT_AND_THEN -> l.body().ty();
            case RESULT_MAP -> Ty.result(l.body().ty(), Ty.arg(receiver.ty(), 1));
            case RESULT_MAP_ERR -> Ty.result(Ty.arg(receiver.ty(), 0), l.body().ty());
        };
        if (kind == TExpr.LambdaKind.SORT_BY) {
            Ty key = l.body().ty();
            body.defer(() -> {
                Type k = Ty.toType(key);
                if (k != null && !SORT_KEYS.contains(k.toString()))
                    body.error("E0401", "`sortBy` needs a key of type Int, Decimal, Float, String or Instant", l.body().span(),
                            "this key is `" + k + "`", null);
            });
        }
        return new TExpr.LambdaOp(kind, receiver, extra, l.slots(), l.body(), scratch, ty, span);
    }
}
