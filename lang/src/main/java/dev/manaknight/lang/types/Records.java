package dev.manaknight.lang.types;

import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.syntax.ast.Expr;
import dev.manaknight.lang.syntax.ast.Ident;
import java.util.ArrayList;
import java.util.List;

/** Records and enum variants in a body: field access, literals, `with` copies. */
final class Records {
    private final BodyChecker body;

    Records(BodyChecker body) {
        this.body = body;
    }

    TExpr field(Expr.Field f) {
        if (body.configName(f.target())) return config(f);
        if (body.patches.isPatch(f.target())) return body.patches.field(f);
        String typeName = body.typeName(f.target());
        if (typeName != null) {
            TypeDef.EnumDef e = body.app.enumDef(typeName);
            if (e == null) {
                body.error("E0207", "`" + typeName + "` is a record, not an enum", f.target().span(), "has no variants", "build one: `" + typeName + " { … }`");
                return body.poison(f.span());
            }
            int v = variantIndex(e, f.name());
            if (v < 0) return body.poison(f.span());
            if (!e.variants().get(v).fields().isEmpty()) {
                body.error("E0403", "`" + typeName + "." + f.name().name() + "` needs " + e.variants().get(v).fields().size() + " argument(s)", f.span(),
                        "this variant carries data", "write `" + typeName + "." + f.name().name() + "(…)`");
            }
            return new TExpr.EnumNew(body.app.typeIndexOf(typeName), v, List.of(), Ty.named(typeName), f.span());
        }
        TExpr target = body.infer(f.target(), null);
        Ty t = body.resolveReceiver(target);
        if (t instanceof Ty.Con c) {
            TypeDef.RecordDef r = body.app.recordDef(c.name());
            if (r != null) {
                int idx = r.fieldIndex(f.name().name());
                if (idx < 0) {
                    String near = Names.nearest(f.name().name(), r.fields().stream().map(TypeDef.FieldDef::name).toList());
                    body.error("E0205", "`" + BodyChecker.displayType(c.name()) + "` has no field `" + f.name().name() + "`", f.name().span(), "unknown field",
                            near != null ? "did you mean `" + near + "`?" : "its fields are " + String.join(", ", r.fields().stream().map(TypeDef.FieldDef::name).toList()));
                    return body.poison(f.span());
                }
                return new TExpr.GetField(target, body.app.typeIndexOf(c.name()), idx, body.fieldTy(r, idx), f.span());
            }
            if (Methods.isMethod(c.name(), f.name().name())) {
                body.error("E0207", "`" + f.name().name() + "` is a method", f.name().span(), "not a field", "call it: `." + f.name().name() + "()`");
                return body.poison(f.span());
            }
        }
        if (!(t instanceof Ty.Var)) {
            body.error("E0205", "`" + Ty.show(t) + "` has no fields", f.name().span(), "no field `" + f.name().name() + "`", null);
        }
        return body.poison(f.span());
    }

    /** `config.name`: a key of the app's `config { … }` block. */
    private TExpr config(Expr.Field f) {
        String name = f.name().name();
        Checker.SettingSlot slot = body.app.settings.get(name);
        if (slot == null) {
            String near = Names.nearest(name, body.app.settings.keySet());
            body.error("E0205", "there is no config key `" + name + "`", f.name().span(), "not declared in a `config` block",
                    near != null ? "did you mean `" + near + "`?" : "declare it: `config { " + name + ": String }`");
            return body.poison(f.span());
        }
        return new TExpr.ConfigGet(slot.index(), name, slot.type(), f.span());
    }

    int variantIndex(TypeDef.EnumDef e, Ident variant) {
        int v = e.variantIndex(variant.name());
        if (v < 0) {
            String near = Names.nearest(variant.name(), e.variants().stream().map(TypeDef.VariantDef::name).toList());
            body.error("E0208", "`" + e.name() + "` has no variant `" + variant.name() + "`", variant.span(), "unknown variant",
                    near != null ? "did you mean `" + near + "`?" : "its variants are " + String.join(", ", e.variants().stream().map(TypeDef.VariantDef::name).toList()));
        }
        return v;
    }

    TExpr recordLit(Expr.RecordLit r) {
        String name = r.type().name();
        TypeDef.RecordDef def = body.app.recordDef(name);
        if (def == null || name.equals(Checker.RESPONSE_TYPE)) {
            if (body.app.enumDef(name) != null)
                body.error("E0207", "`" + name + "` is an enum", r.type().span(), "not a record", "name a variant: `" + name + ".…`");
            else body.error("E0202", "unknown record type `" + name + "`", r.type().span(), "no record of this name", null);
            for (Expr.FieldInit f : r.fields()) body.infer(f.value(), null);
            return body.poison(r.span());
        }
        TExpr[] values = new TExpr[def.fields().size()];
        for (Expr.FieldInit f : r.fields()) {
            int idx = def.fieldIndex(f.name().name());
            if (idx < 0) {
                String near = Names.nearest(f.name().name(), def.fields().stream().map(TypeDef.FieldDef::name).toList());
                body.error("E0205", "`" + name + "` has no field `" + f.name().name() + "`", f.name().span(), "unknown field", near != null ? "did you mean `" + near + "`?" : null);
                body.infer(f.value(), null);
                continue;
            }
            if (values[idx] != null) {
                body.error("E0209", "the field `" + f.name().name() + "` is given twice", f.name().span(), "again here", null);
                continue;
            }
            values[idx] = body.check(f.value(), body.fieldTy(def, idx));
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) continue;
            Type ft = def.fields().get(i).type();
            // An Option field left out is none, a Patch field Patch.absent (held as none too).
            if (ft.mayBeLeftOut()) values[i] = new TExpr.NoneE(Ty.of(ft), r.span());
            else missing.add(def.fields().get(i).name());
        }
        if (!missing.isEmpty()) {
            body.error("E0206", "missing field" + (missing.size() == 1 ? " `" : "s `") + String.join("`, `", missing) + "` in `" + name + "`", r.span(),
                    "every field without an Option or Patch type must be given", null);
            return body.poison(r.span());
        }
        return new TExpr.RecordNew(body.app.typeIndexOf(name), List.of(values), Ty.named(name), r.span());
    }

    TExpr with(Expr.With w) {
        TExpr target = body.infer(w.target(), null);
        Ty t = body.resolveReceiver(target);
        TypeDef.RecordDef def = t instanceof Ty.Con c ? body.app.recordDef(c.name()) : null;
        if (def == null) {
            if (!(t instanceof Ty.Var)) body.error("E0401", "`with` needs a record", w.target().span(), "this is `" + Ty.show(t) + "`", null);
            for (Expr.FieldInit f : w.fields()) body.infer(f.value(), null);
            return body.poison(w.span());
        }
        List<Integer> fields = new ArrayList<>();
        List<TExpr> values = new ArrayList<>();
        for (Expr.FieldInit f : w.fields()) {
            int idx = def.fieldIndex(f.name().name());
            if (idx < 0) {
                String near = Names.nearest(f.name().name(), def.fields().stream().map(TypeDef.FieldDef::name).toList());
                body.error("E0205", "`" + def.name() + "` has no field `" + f.name().name() + "`", f.name().span(), "unknown field", near != null ? "did you mean `" + near + "`?" : null);
                body.infer(f.value(), null);
                continue;
            }
            if (fields.contains(idx)) body.error("E0209", "the field `" + f.name().name() + "` is given twice", f.name().span(), "again here", null);
            fields.add(idx);
            values.add(body.check(f.value(), body.fieldTy(def, idx)));
        }
        return new TExpr.With(target, body.app.typeIndexOf(def.name()), fields, values, t, w.span());
    }
}
