package dev.manaknight.lang.types;

import dev.manaknight.lang.model.SqlPlaceholders;
import dev.manaknight.lang.model.Capability;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.EffectOp;
import dev.manaknight.lang.bytecode.QueryTypes;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.Setting;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.diag.Diagnostic;
import dev.manaknight.lang.source.Span;
import dev.manaknight.lang.syntax.ast.Decl;
import dev.manaknight.lang.syntax.ast.Expr;
import dev.manaknight.lang.syntax.ast.SourceUnit;
import dev.manaknight.lang.syntax.ast.TypeExpr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The app-wide half of type checking: collects every declaration of every file (names are
 * app-wide), resolves written types, checks queries and routes, then has {@link BodyChecker}
 * check each body. Reports every error it can find; see {@link #check}.
 */
public final class Checker {
    /** The synthetic record a test's `request` returns; `$` keeps it out of the user's namespace. */
    static final String RESPONSE_TYPE = TypeDef.RESPONSE.name();
    /** The built-in enum of database errors ({@link TypeDef#DB_ERROR}'s name); in the type table only once the app names it. */
    static final String DB_ERROR = "DbError";

    final List<Diagnostic> diags;
    final Map<String, Decl.TypeDecl> records = new LinkedHashMap<>();
    final Map<String, Decl.EnumDecl> enums = new LinkedHashMap<>();
    final Map<String, Integer> typeIndex = new HashMap<>();
    /** "Record.field" → its declared type, where that named an unknown type (reported, Never there). */
    private final Map<String, Ty> unknownFieldTypes = new HashMap<>();
    final List<TypeDef> typeDefs = new ArrayList<>();
    final Map<String, FnSig> fns = new LinkedHashMap<>();
    final Map<String, ConstSlot> consts = new LinkedHashMap<>();
    final Map<String, Integer> queries = new LinkedHashMap<>();
    final List<EffectOp> effects = new ArrayList<>();
    /** Index of the first built-in effect (log.info, …) in {@link #effects}. */
    final Map<String, Integer> builtinEffects = new HashMap<>();
    /** The declared types are all in {@link #typeDefs}: a built-in one may now be appended. */
    private boolean typesCollected;
    /** `DbError` was named while the declared types were collected: appended after them. */
    private boolean dbErrorNamed;

    /**
     * A declared function's signature and index; `responds` when it declares `uses { respond }`
     * (a guard: it may end the request). A result of Never means it always does.
     */
    record FnSig(int index, Decl.FnDecl decl, List<Ty> params, Ty result, int capabilities, boolean responds) {}

    /** What a responding function may answer: its own `respond`s and the responding functions it calls. */
    record Responses(List<CheckedApp.ResponseInfo> own, Set<Integer> callees) {}

    /** By function index, for every function that declares `uses { respond }` (filled as they are checked). */
    final Map<Integer, Responses> responders = new HashMap<>();

    /** A `const`, evaluated on first use (so order does not matter and cycles are caught). */
    static final class ConstSlot {
        final Decl.ConstDecl decl;
        TExpr value;
        boolean inProgress;
        boolean done;

        ConstSlot(Decl.ConstDecl decl) { this.decl = decl; }
    }

    private Checker(List<Diagnostic> diags) {
        this.diags = diags;
    }

    /** Checks an app; errors are appended to `diags`; the result is meaningful only when none are errors. */
    public static CheckedApp check(List<SourceUnit> units, List<Diagnostic> diags) {
        return new Checker(diags).run(units);
    }

    void error(String code, String title, Span span, String label, String hint) {
        var d = Diagnostic.error(code, title, span, label);
        diags.add(hint == null ? d : d.withHint(hint));
    }

    void report(Diagnostic d) { diags.add(d); }

    /** Where local variables are named (bound, read, assigned), for {@link CheckedApp#localNames}. */
    private final List<Span> localNames = new ArrayList<>();

    void localName(Span span) {
        if (span != null) localNames.add(span);
    }

    private CheckedApp run(List<SourceUnit> units) {
        List<Decl> all = new ArrayList<>();
        for (SourceUnit u : units) all.addAll(u.decls());

        collectTypes(all);
        collectSignatures(all);

        List<CheckedApp.Fn> functions = new ArrayList<>();
        // Declared functions first: their indices are FnSig.index.
        for (FnSig sig : fns.values()) {
            functions.add(new BodyChecker(this, BodyChecker.Mode.FN, sig.decl().span().file().name()).checkFn(sig));
        }
        List<CheckedApp.RouteInfo> routes = new ArrayList<>();
        List<Decl.ApiDecl> apis = new ArrayList<>();
        for (Decl d : all) if (d instanceof Decl.ApiDecl a) apis.add(a);
        checkRouteConflicts(apis);
        for (Decl.ApiDecl api : apis) {
            var body = new BodyChecker(this, BodyChecker.Mode.API, api.span().file().name());
            functions.add(body.checkApi(api, functions.size(), routes));
        }
        List<CheckedApp.TestInfo> tests = new ArrayList<>();
        Set<String> testNames = new HashSet<>();
        for (Decl d : all) {
            if (!(d instanceof Decl.TestDecl t)) continue;
            if (!testNames.add(t.name())) error("E0201", "duplicate test name \"" + t.name() + "\"", t.span(), "a test with this name already exists", "give every test a distinct name");
            var body = new BodyChecker(this, BodyChecker.Mode.TEST, t.span().file().name());
            int caps = capabilities(t.uses());
            functions.add(body.checkTest(t, caps));
            tests.add(new CheckedApp.TestInfo(t.name(), functions.size() - 1, caps, t.span().file().name(), t.span().line()));
        }
        for (ConstSlot c : consts.values()) constValue(c);
        return new CheckedApp(List.copyOf(typeDefs), List.copyOf(effects), functions, routes, tests, settingTable(),
                List.copyOf(localNames));
    }

    // ---- types ----------------------------------------------------------------------------

    private void collectTypes(List<Decl> all) {
        Map<String, Span> seen = new HashMap<>();
        for (Decl d : all) {
            Span nameSpan;
            String name;
            switch (d) {
                case Decl.TypeDecl t -> { name = t.name().name(); nameSpan = t.name().span(); }
                case Decl.EnumDecl e -> { name = e.name().name(); nameSpan = e.name().span(); }
                default -> { continue; }
            }
            if (isBuiltinTypeName(name)) {
                error("E0201", "`" + name + "` is a built-in type", nameSpan, "cannot be declared again", "choose another name");
                continue;
            }
            Span prev = seen.putIfAbsent(name, nameSpan);
            if (prev != null) {
                report(Diagnostic.error("E0201", "the type `" + name + "` is declared twice", nameSpan, "declared again here")
                        .withLabel(prev, "first declared here").withHint("names are app-wide: rename one of them"));
                continue;
            }
            typeIndex.put(name, typeIndex.size());
            if (d instanceof Decl.TypeDecl t) records.put(name, t);
            else enums.put(name, (Decl.EnumDecl) d);
        }
        // Now that every name is known, resolve the field types.
        for (Decl d : all) {
            switch (d) {
                case Decl.TypeDecl t when records.get(t.name().name()) == t -> {
                    List<TypeDef.FieldDef> fields = new ArrayList<>();
                    Set<String> names = new HashSet<>();
                    for (Decl.Field f : t.fields()) {
                        if (!names.add(f.name().name()))
                            error("E0209", "duplicate field `" + f.name().name() + "`", f.name().span(), "declared twice in `" + t.name().name() + "`", null);
                        Ty ty = resolve(f.type());
                        if (Ty.is(ty, SECRET)) secretHeld(f.type().span(), "a record");
                        if (mentionsNever(ty)) unknownFieldTypes.put(t.name().name() + "." + f.name().name(), ty);
                        fields.add(new TypeDef.FieldDef(f.name().name(), typeOr(ty)));
                    }
                    typeDefs.add(new TypeDef.RecordDef(t.name().name(), fields));
                }
                case Decl.EnumDecl e when enums.get(e.name().name()) == e -> {
                    List<TypeDef.VariantDef> variants = new ArrayList<>();
                    Set<String> names = new HashSet<>();
                    for (Decl.Variant v : e.variants()) {
                        if (!names.add(v.name().name()))
                            error("E0209", "duplicate variant `" + v.name().name() + "`", v.name().span(), "declared twice in `" + e.name().name() + "`", null);
                        List<TypeDef.FieldDef> fields = new ArrayList<>();
                        for (Decl.Field f : v.fields()) {
                            Ty ty = resolve(f.type());
                            if (Ty.is(ty, SECRET)) secretHeld(f.type().span(), "an enum variant");
                            fields.add(new TypeDef.FieldDef(f.name().name(), typeOr(ty)));
                        }
                        variants.add(new TypeDef.VariantDef(v.name().name(), fields));
                    }
                    if (variants.isEmpty())
                        error("E0210", "the enum `" + e.name().name() + "` has no variants", e.name().span(), "declared here", "an enum needs at least one variant");
                    typeDefs.add(new TypeDef.EnumDef(e.name().name(), variants));
                }
                default -> {}
            }
        }
        // The order of typeDefs must follow typeIndex: both follow declaration order of first declarations.
        typeIndex.put(RESPONSE_TYPE, typeDefs.size());
        typeDefs.add(TypeDef.RESPONSE);
        typesCollected = true;
        if (dbErrorNamed) addDbError();
    }

    /** `DbError`, named somewhere: in the type table from now on (after the declared types, whose indices are fixed). */
    private Ty dbError() {
        if (typesCollected) addDbError();
        else dbErrorNamed = true;
        return Ty.named(DB_ERROR);
    }

    private void addDbError() {
        if (typeIndex.containsKey(DB_ERROR)) return;
        typeIndex.put(DB_ERROR, typeDefs.size());
        typeDefs.add(TypeDef.DB_ERROR);
    }

    static boolean isBuiltinTypeName(String name) {
        return switch (name) {
            case "Int", "Decimal", "Float", "Bool", "String", "Unit", "Json", "List", "Map", "Option", "Result", NEVER, DB_ERROR,
                 SECRET, PATCH ->
                    true;
            default -> false;
        };
    }

    private static Type typeOr(Ty ty) {
        Type t = Ty.toType(ty);
        return t == null ? Type.UNIT : t;
    }

    private boolean known(String name) { return isBuiltinTypeName(name) || typeIndex.containsKey(name); }

    /** Resolves a written type; unknown names are reported and yield Never, which fits anywhere (no cascades). */
    Ty resolve(TypeExpr te) {
        String name = te.name().name();
        int arity = switch (name) {
            case "List", "Map", "Option", PATCH -> 1;
            case "Result" -> 2;
            default -> 0;
        };
        if (te.args().size() != arity) {
            if (arity == 0 && !te.args().isEmpty() && known(name)) // an unknown name is reported once, below
                error("E0204", "`" + name + "` takes no type arguments", te.span(), "written with " + te.args().size(), null);
            else if (arity > 0)
                error("E0204", "`" + name + "` takes " + arity + " type argument" + (arity == 1 ? "" : "s"), te.span(),
                        "written with " + te.args().size(), name.equals("Map") ? "maps have String keys: write `Map<V>`" : null);
            if (arity > 0) return Ty.UNIT;
        }
        List<Ty> args = new ArrayList<>();
        for (TypeExpr a : te.args()) {
            Ty arg = resolve(a);
            if (Ty.is(arg, SECRET)) secretHeld(a.span(), "a `" + name + "`");
            args.add(arg);
        }
        return switch (name) {
            case "Int" -> Ty.INT;
            case "Decimal" -> Ty.DECIMAL;
            case "Float" -> Ty.FLOAT;
            case "Bool" -> Ty.BOOL;
            case "String" -> Ty.STRING;
            case "Unit" -> Ty.UNIT;
            case "Json" -> Ty.JSON;
            case "Instant" -> Ty.INSTANT;
            case "Duration" -> Ty.DURATION;
            case SECRET -> Ty.SECRET;
            case "List" -> Ty.list(args.get(0));
            case "Map" -> Ty.map(args.get(0));
            case "Option" -> Ty.option(args.get(0));
            case PATCH -> Ty.patch(args.get(0));
            case "Result" -> Ty.result(args.get(0), args.get(1));
            case DB_ERROR -> dbError();
            default -> {
                if (typeIndex.containsKey(name) && !name.equals(RESPONSE_TYPE)) yield Ty.named(name);
                if (name.equals(NEVER) && te.args().isEmpty()) {
                    error("E0202", "`Never` is only the result type of a function", te.name().span(), "no value has this type",
                            "`fn f(…): Never { uses { respond } … }` is a function that always responds");
                    yield Ty.UNIT;
                }
                var candidates = new ArrayList<>(typeIndex.keySet());
                candidates.remove(RESPONSE_TYPE);
                candidates.addAll(List.of("Int", "Decimal", "Float", "Bool", "String", "Unit", "Json", "List", "Map", "Option",
                        "Result", PATCH, DB_ERROR));
                String near = Names.nearest(name, candidates);
                error("E0202", "unknown type `" + name + "`", te.name().span(), "no type of this name",
                        near != null ? "did you mean `" + near + "`?" : "declare it with `type " + name + " { … }` or `enum " + name + " { … }`");
                yield Ty.Never.NEVER; // fits anywhere: what uses a value of it is not reported again
            }
        };
    }

    Decl.TypeDecl record(String name) { return records.get(name); }

    Decl.EnumDecl enumDecl(String name) { return enums.get(name); }

    int typeIndexOf(String name) {
        if (name.equals(DB_ERROR) && typesCollected) addDbError(); // `DbError.unique(…)`, a pattern on one
        return typeIndex.getOrDefault(name, -1);
    }

    /**
     * The declared type of a record's field when it named an unknown type (reported, and Never in
     * its place), else null: {@link BodyChecker#fieldTy} keeps uses of the field silent.
     */
    Ty unknownFieldType(TypeDef.RecordDef r, int idx) {
        return unknownFieldTypes.get(r.name() + "." + r.fields().get(idx).name());
    }

    private static boolean mentionsNever(Ty t) {
        return t instanceof Ty.Never || t instanceof Ty.Con c && c.args().stream().anyMatch(Checker::mentionsNever);
    }

    TypeDef.RecordDef recordDef(String name) {
        int i = typeIndexOf(name);
        return i >= 0 && typeDefs.get(i) instanceof TypeDef.RecordDef r ? r : null;
    }

    TypeDef.EnumDef enumDef(String name) {
        int i = typeIndexOf(name);
        return i >= 0 && typeDefs.get(i) instanceof TypeDef.EnumDef e ? e : null;
    }

    // ---- signatures ------------------------------------------------------------------------

    private void collectSignatures(List<Decl> all) {
        Map<String, Span> values = new HashMap<>();
        Map<String, Span> queryNames = new HashMap<>();
        for (Decl d : all) {
            switch (d) {
                case Decl.FnDecl f -> {
                    if (!declareValue(values, f.name().name(), f.name().span())) continue;
                    List<Ty> params = new ArrayList<>();
                    Set<String> seen = new HashSet<>();
                    for (Decl.Param p : f.params()) {
                        if (!seen.add(p.name().name()))
                            error("E0201", "duplicate parameter `" + p.name().name() + "`", p.name().span(), "declared twice", null);
                        params.add(resolve(p.type()));
                    }
                    if (f.params().size() > dev.manaknight.lang.bytecode.Limits.MAX_PARAMS)
                        error("E1001", "too many parameters", f.name().span(), f.params().size() + " parameters",
                                "at most " + dev.manaknight.lang.bytecode.Limits.MAX_PARAMS + " are allowed; pass a record instead");
                    Ty result = f.result() == null ? Ty.UNIT : isNever(f.result()) ? Ty.Never.NEVER : resolve(f.result());
                    var sig = new FnSig(fns.size(), f, params, result, capabilities(f.uses()), responds(f.uses()));
                    fns.put(f.name().name(), sig);
                }
                case Decl.ConstDecl c -> {
                    if (declareValue(values, c.name().name(), c.name().span())) consts.put(c.name().name(), new ConstSlot(c));
                }
                case Decl.ConfigDecl cfg -> {
                    for (Decl.Setting s : cfg.settings()) setting(s);
                }
                case Decl.DbDecl db -> {
                    for (Decl.Query q : db.queries()) {
                        Span prev = queryNames.putIfAbsent(q.name().name(), q.name().span());
                        if (prev != null) {
                            report(Diagnostic.error("E0201", "the query `" + q.name().name() + "` is declared twice", q.name().span(), "declared again here")
                                    .withLabel(prev, "first declared here"));
                            continue;
                        }
                        EffectOp op = checkQuery(q);
                        queries.put(q.name().name(), effects.size());
                        effects.add(op);
                    }
                }
                default -> {}
            }
        }
        for (EffectOp op : EffectOp.BUILT_IN) {
            builtinEffects.put(op.qualifiedName(), effects.size());
            effects.add(op);
        }
    }

    private boolean declareValue(Map<String, Span> values, String name, Span span) {
        Span prev = values.putIfAbsent(name, span);
        if (prev == null) return true;
        report(Diagnostic.error("E0201", "`" + name + "` is declared twice", span, "declared again here")
                .withLabel(prev, "first declared here").withHint("names are app-wide: rename one of them"));
        return false;
    }

    /** `Never`, written as a function's result: the function always responds. */
    static boolean isNever(TypeExpr te) {
        return te.name().name().equals(NEVER) && te.args().isEmpty();
    }

    /** The type a function that never returns declares as its result. */
    static final String NEVER = "Never";

    /** Whether a `uses { … }` list says `respond`. */
    static boolean responds(List<dev.manaknight.lang.syntax.ast.Ident> uses) {
        return uses.stream().anyMatch(id -> id.name().equals(RESPOND));
    }

    static final String RESPOND = "respond";

    /** `respond` in the `uses` of a handler or a test, where it means nothing or is impossible: reported. */
    void respondNotDeclarable(List<dev.manaknight.lang.syntax.ast.Ident> uses, boolean handler) {
        for (var id : uses) {
            if (!id.name().equals(RESPOND)) continue;
            error("E0304", "only a `fn` declares `respond`", id.span(),
                    handler ? "a handler always may respond" : "a test cannot respond",
                    handler ? "remove it: `uses { respond }` marks a function that may end the request"
                            : "test a response through its route: `let r = request GET \"/…\"`");
        }
    }

    /** The capability bits of a `uses { … }` list; unknown names are reported (`respond` is none: {@link #responds}). */
    int capabilities(List<dev.manaknight.lang.syntax.ast.Ident> uses) {
        int bits = 0;
        for (var id : uses) {
            if (id.name().equals(RESPOND)) continue;
            var cap = Capability.bySourceName(id.name());
            if (cap.isEmpty()) {
                String near = Names.nearest(id.name(), List.of("db", "log", "clock", "random", RESPOND));
                error("E0303", "unknown capability `" + id.name() + "`", id.span(), "not a capability",
                        near != null ? "did you mean `" + near + "`?"
                                : "the capabilities are db, log, clock and random; a `fn` may also declare `respond`");
            } else {
                bits |= cap.get().bit();
            }
        }
        return bits;
    }

    // ---- config ----------------------------------------------------------------------------

    /** The built-in type of configured text that is never turned into text. */
    static final String SECRET = "Secret";
    /** `Patch<T>`: a PATCH body's field, `Patch.absent`, `Patch.null` or `Patch.set(v)` ({@link PatchCases}). */
    static final String PATCH = "Patch";

    /** What `config.name` reads: the key's index in the module's config table and its type. */
    record SettingSlot(int index, Decl.Setting decl, Ty type) {}

    final Map<String, SettingSlot> settings = new LinkedHashMap<>();

    private void setting(Decl.Setting s) {
        String name = s.name().name();
        SettingSlot prev = settings.get(name);
        if (prev != null) {
            report(Diagnostic.error("E0201", "the config key `" + name + "` is declared twice", s.name().span(),
                    "declared again here").withLabel(prev.decl().name().span(), "first declared here"));
            return;
        }
        if (name.equals(Setting.RESERVED)) {
            error("E0903", "a config key cannot be called `" + name + "`", s.name().span(), "reserved",
                    "in the configuration's [app] table, `" + name + "` is where the app is; choose another name");
        }
        Ty ty = resolve(s.type());
        Type type = Ty.toType(ty);
        if (type != null && !Setting.TYPES.contains(type)) {
            error("E0903", "a config key cannot be a `" + type + "`", s.type().span(), "not read from configuration",
                    "a config key is Int, Decimal, Bool, String or Secret");
        }
        if (Ty.is(ty, SECRET) && s.defaultValue() != null) {
            error("E0903", "a Secret has no default", s.defaultValue().span(), "a secret written in the source",
                    "remove the default: give `" + name + "` in the configuration's [app] table or in the environment, "
                            + "as " + Setting.envName(name));
        }
        for (SettingSlot other : settings.values()) {
            if (Setting.envName(other.decl().name().name()).equals(Setting.envName(name))) {
                report(Diagnostic.error("E0903", "`" + name + "` and `" + other.decl().name().name()
                                + "` have the same environment variable", s.name().span(), Setting.envName(name))
                        .withLabel(other.decl().name().span(), "also this key's").withHint("rename one of them"));
            }
        }
        settings.put(name, new SettingSlot(settings.size(), s, ty));
    }

    /** The config table in key order, defaults folded; after the bodies are checked (constants are known then). */
    private List<Setting> settingTable() {
        var table = new ArrayList<Setting>();
        for (SettingSlot slot : settings.values()) {
            Decl.Setting s = slot.decl();
            Constant dflt = null;
            Type type = Ty.toType(slot.type());
            if (s.defaultValue() != null && type != Type.SECRET && Setting.TYPES.contains(type)) {
                var body = new BodyChecker(this, BodyChecker.Mode.CONST, s.span().file().name());
                dflt = body.checkDefault(s.defaultValue(), slot.type());
            }
            table.add(new Setting(s.name().name(), typeOr(slot.type()), dflt));
        }
        return table;
    }

    /** E0410 where a written type puts a Secret inside something else. */
    void secretHeld(Span span, String where) {
        error("E0410", "a Secret cannot be held in " + where, span, "a Secret inside another value",
                "a Secret stays a plain `Secret` (a config key, a parameter, a result): " + SECRET_USES);
    }

    /** What a Secret can do, for hints. */
    static final String SECRET_USES = "compare one with `s.constantTimeEquals(text)`, sign with `s.hmacSha256(message)`";

    // ---- queries ---------------------------------------------------------------------------

    private EffectOp checkQuery(Decl.Query q) {
        List<EffectOp.Param> params = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Decl.Param p : q.params()) {
            Ty t = resolve(p.type());
            Type type = typeOr(t);
            if (!names.add(p.name().name()))
                error("E0201", "duplicate parameter `" + p.name().name() + "`", p.name().span(), "declared twice", null);
            if (!QueryTypes.param(type, this::isPlainEnum))
                error("E0704", "a query parameter must be a scalar", p.type().span(), "`" + type + "` cannot be bound to SQL",
                        "use Int, Decimal, Float, Bool, String, Instant, Duration, a plain enum, Json, or an Option of one"
                                + " (bound as NULL when none); or a List of a scalar or plain enum for `IN (:xs)`");
            params.add(new EffectOp.Param(p.name().name(), type));
        }
        Type result = q.result() == null ? Type.UNIT : typeOr(resolve(q.result()));
        if (!QueryTypes.result(result, name -> recordDef(name) != null))
            error("E0703", "unsupported query result type `" + result + "`", q.result() == null ? q.name().span() : q.result().span(),
                    "cannot be mapped from rows",
                    result instanceof Type.ResultOf ? "a query declares its errors as `Result<T, DbError>`, where T is "
                            + "Option<…>, List<…>, a record, a scalar or Unit"
                            : "use Option<T>, List<T>, T (a record or a scalar), or Unit; or `Result<T, DbError>` when the "
                            + "query may break a constraint");
        Set<String> used = new HashSet<>();
        for (SqlPlaceholders.Placeholder ph : SqlPlaceholders.scan(q.sql())) {
            used.add(ph.name());
            Type listed = params.stream().filter(p -> p.name().equals(ph.name())).map(EffectOp.Param::type)
                    .filter(t -> t instanceof Type.ListOf).findFirst().orElse(null);
            if (listed != null && !SqlPlaceholders.aloneInIn(q.sql(), ph))
                error("E0705", "a List parameter stands alone in `IN (…)`", sqlSpan(q, ph),
                        "`:" + ph.name() + "` is a `" + listed + "`",
                        "write `… IN (:" + ph.name() + ")`: it is bound one element at a time");
            if (!names.contains(ph.name())) {
                String near = Names.nearest(ph.name(), names);
                if (near != null) used.add(near); // one error for one typo
                error("E0701", "unknown SQL parameter `:" + ph.name() + "`", sqlSpan(q, ph), "not a parameter of `" + q.name().name() + "`",
                        near != null ? "did you mean `:" + near + "`?" : "declare it: `" + q.name().name() + "(" + ph.name() + ": Type)`");
            }
        }
        for (Decl.Param p : q.params()) {
            if (!used.contains(p.name().name()))
                error("E0702", "the parameter `" + p.name().name() + "` is not used in the SQL", p.name().span(), "never bound",
                        "refer to it as `:" + p.name().name() + "` in the query, or remove it");
        }
        return new EffectOp(Capability.DB, q.name().name(), params, result, q.sql());
    }

    /** The span of a placeholder inside the SQL literal, found in the source text (escapes may shift it). */
    private static Span sqlSpan(Decl.Query q, SqlPlaceholders.Placeholder ph) {
        Span lit = q.sqlSpan();
        String src = lit.file().text().substring(lit.start(), lit.end());
        int at = src.indexOf(":" + ph.name());
        if (at < 0) return lit;
        return new Span(lit.file(), lit.start() + at, lit.start() + at + 1 + ph.name().length());
    }

    /** A declared enum without payloads: bound to SQL (and read back) by its variant's name. */
    private boolean isPlainEnum(String name) {
        TypeDef.EnumDef e = enumDef(name);
        return e != null && e.plain();
    }

    static boolean isSqlScalar(Type t) {
        return QueryTypes.scalar(t);
    }

    // ---- constants -------------------------------------------------------------------------

    /** The folded value of a constant, or null after an error. */
    TExpr constValue(ConstSlot c) {
        if (c.done) return c.value;
        if (c.inProgress) {
            error("E0902", "the constant `" + c.decl.name().name() + "` depends on itself", c.decl.name().span(), "cycle through here", "constants cannot refer to themselves");
            return null;
        }
        c.inProgress = true;
        var body = new BodyChecker(this, BodyChecker.Mode.CONST, c.decl.span().file().name());
        TExpr checked = body.checkConst(c.decl);
        c.inProgress = false;
        c.done = true;
        c.value = checked;
        return checked;
    }

    ConstSlot constSlot(String name) { return consts.get(name); }

    FnSig fn(String name) { return fns.get(name); }

    /** The constant that a route input's default stands for. */
    static Constant constantOf(TExpr folded) {
        return switch (folded) {
            case TExpr.IntC i -> new Constant.IntConst(i.value());
            case TExpr.DecC d -> new Constant.DecConst(d.value());
            case TExpr.FloatC f -> new Constant.FloatConst(f.value());
            case TExpr.StrC s -> new Constant.StrConst(s.value());
            case TExpr.BoolC b -> new Constant.IntConst(b.value() ? 1 : 0);
            default -> null;
        };
    }

    // ---- routes ----------------------------------------------------------------------------

    private void checkRouteConflicts(List<Decl.ApiDecl> apis) {
        Map<String, Decl.ApiDecl> shapes = new HashMap<>();
        for (Decl.ApiDecl a : apis) {
            var shape = new StringBuilder(a.method().name()).append(' ');
            for (Decl.PathSegment s : a.path()) {
                shape.append('/').append(switch (s) {
                    case Decl.PathSegment.Literal l -> "L" + l.text();
                    case Decl.PathSegment.Param p -> "P";
                });
            }
            Decl.ApiDecl prev = shapes.putIfAbsent(shape.toString(), a);
            if (prev != null) {
                report(Diagnostic.error("E0801", "two routes match `" + a.method() + " " + a.pathText() + "`", a.pathSpan(),
                                "this route matches the same requests")
                        .withLabel(prev.pathSpan(), "as this one (" + prev.method() + " " + prev.pathText() + ")")
                        .withHint("make one path differ by a literal segment"));
            }
        }
    }

    /** The manifest kind of a declared input. */
    static Route.Source sourceOf(Decl.InputKind k) {
        return switch (k) {
            case PARAM -> Route.Source.PATH;
            case QUERY -> Route.Source.QUERY;
            case HEADER -> Route.Source.HEADER;
            case BODY -> Route.Source.BODY;
            case RAW -> Route.Source.RAW;
        };
    }

    /** `idempotencyKey` → `Idempotency-Key`. */
    static String headerWireName(String name) {
        var sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (i == 0) sb.append(Character.toUpperCase(c));
            else if (Character.isUpperCase(c)) sb.append('-').append(c);
            else if (c == '_') sb.append('-');
            else if (i > 0 && name.charAt(i - 1) == '_') sb.append(Character.toUpperCase(c));
            else sb.append(c);
        }
        return sb.toString();
    }

    /** An expression that a parser produced for a constant literal, folded, or null. */
    static boolean isLiteral(Expr e) {
        return e instanceof Expr.IntLit || e instanceof Expr.DecimalLit || e instanceof Expr.FloatLit
                || e instanceof Expr.BoolLit || e instanceof Expr.StringLit;
    }
}
