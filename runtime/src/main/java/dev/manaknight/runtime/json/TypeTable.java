package dev.manaknight.runtime.json;

import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.TypeDef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The module's declared records and enums by name, with the arrays values share, built once. */
public final class TypeTable {
    private final Map<String, Integer> indexByName = new HashMap<>();
    private final List<TypeDef> defs;
    private final String[][] fieldNames;

    public TypeTable(Module module) {
        this.defs = module.types();
        this.fieldNames = new String[defs.size()][];
        for (int i = 0; i < defs.size(); i++) {
            TypeDef d = defs.get(i);
            indexByName.putIfAbsent(d.name(), i);
            if (d instanceof TypeDef.RecordDef r)
                fieldNames[i] = r.fields().stream().map(TypeDef.FieldDef::name).toArray(String[]::new);
        }
    }

    /** The index of a declared type, or -1. */
    public int index(String name) {
        Integer i = indexByName.get(name);
        return i == null ? -1 : i;
    }

    public TypeDef def(int index) { return defs.get(index); }

    /** The declared type by name; fails loudly on a module that names an undeclared type. */
    public TypeDef def(String name) {
        int i = index(name);
        if (i < 0) throw new IllegalStateException("type `" + name + "` is not declared in the module");
        return defs.get(i);
    }

    /** The shared field-name array of a record type (never written). */
    public String[] fieldNames(int index) { return fieldNames[index]; }
}
