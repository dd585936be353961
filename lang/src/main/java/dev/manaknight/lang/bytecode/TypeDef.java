package dev.manaknight.lang.bytecode;

import dev.manaknight.lang.model.Type;
import java.util.List;

/** A declared record or enum in the module's type table; ops refer to it by index. */
public sealed interface TypeDef {
    /**
     * The record a test's `request` answers with (the VM builds it, see vm/ResponseValue): in
     * every compiled module's type table, so that `r.status` compiles to an ordinary GET_FIELD.
     * Its name cannot be written in source.
     */
    RecordDef RESPONSE = new RecordDef("$Response", List.of(
            new FieldDef("status", Type.INT),
            new FieldDef("headers", new Type.MapOf(Type.STRING)),
            new FieldDef("body", Type.STRING)));

    /**
     * The built-in enum of the database errors a query may declare (`Result<T, DbError>`): the
     * runtime builds its values from the database's error (runtime.md, "Typed database errors").
     * In a module's type table only when the app names it; its name cannot be declared in source.
     * Each variant carries the constraint's name (for `notNull`, the column's, as `table.column`).
     */
    EnumDef DB_ERROR = new EnumDef("DbError", List.of(
            new VariantDef("unique", List.of(new FieldDef("constraint", Type.STRING))),
            new VariantDef("foreignKey", List.of(new FieldDef("constraint", Type.STRING))),
            new VariantDef("check", List.of(new FieldDef("constraint", Type.STRING))),
            new VariantDef("notNull", List.of(new FieldDef("column", Type.STRING)))));

    String name();

    record FieldDef(String name, Type type) {}

    record RecordDef(String name, List<FieldDef> fields) implements TypeDef {
        public RecordDef { fields = List.copyOf(fields); }

        public int fieldIndex(String field) {
            for (int i = 0; i < fields.size(); i++) if (fields.get(i).name().equals(field)) return i;
            return -1;
        }
    }

    record VariantDef(String name, List<FieldDef> fields) {
        public VariantDef { fields = List.copyOf(fields); }
    }

    record EnumDef(String name, List<VariantDef> variants) implements TypeDef {
        public EnumDef { variants = List.copyOf(variants); }

        public int variantIndex(String variant) {
            for (int i = 0; i < variants.size(); i++) if (variants.get(i).name().equals(variant)) return i;
            return -1;
        }

        /** True when no variant carries a payload: such an enum can be a path/query/header input. */
        public boolean plain() {
            for (VariantDef v : variants) if (!v.fields().isEmpty()) return false;
            return true;
        }
    }
}
