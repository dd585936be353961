package dev.manaknight.runtime.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.Type;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Maps Manaknight types to JSON Schema (the OpenAPI 3.1 dialect); the rules are in openapi.md. */
final class Schemas {
    /** Where named types live in the document. */
    static final String COMPONENTS = "#/components/schemas/";
    /**
     * The RFC 9457 problem schema's component name. A Manaknight type name cannot contain a dot,
     * so no declared type can collide with it.
     */
    static final String PROBLEM = "manaknight.Problem";
    /** The property that names an enum variant in the object form of an enum with payloads. */
    static final String VARIANT_TAG = "type";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Compiler-internal types (`$Response`) start with this; they are not part of the app's API. */
    private static final String INTERNAL = "$";

    private final Module module;
    /** Internal types some schema referred to: they must be in the components after all. */
    private final Set<String> referencedInternal = new LinkedHashSet<>();

    Schemas(Module module) {
        this.module = module;
    }

    /**
     * The component name of a declared type: its own name, or for an internal `$Name` (a `$` is
     * not allowed in a component name) `manaknight.Name`, which no declared name can clash with.
     */
    static String componentName(String typeName) {
        return typeName.startsWith(INTERNAL) ? "manaknight." + typeName.substring(INTERNAL.length()) : typeName;
    }

    /** The schema of a value of type `t`; declared types become `$ref`s into the components. */
    ObjectNode of(Type t) {
        return switch (t) {
            case Type.Prim p -> primitive(p);
            case Type.ListOf l -> {
                ObjectNode s = typed("array");
                s.set("items", of(l.element()));
                yield s;
            }
            case Type.MapOf m -> {
                ObjectNode s = typed("object");
                s.set("additionalProperties", of(m.value()));
                yield s;
            }
            case Type.OptionOf o -> nullable(of(o.value()));
            case Type.PatchOf pa -> nullable(of(pa.value()))
                    .put("description", "Patch: leave it out to keep the value, null to clear it.");
            case Type.ResultOf r -> {
                ObjectNode s = JSON.objectNode();
                ArrayNode cases = s.putArray("oneOf");
                cases.add(singleField("ok", of(r.ok())));
                cases.add(singleField("err", of(r.err())));
                yield s;
            }
            case Type.Named n -> {
                if (module.type(n.name()) == null) {
                    throw new IllegalArgumentException("openapi: type `" + n.name() + "` is not in the module's type table");
                }
                if (n.name().startsWith(INTERNAL)) referencedInternal.add(n.name());
                yield JSON.objectNode().put("$ref", COMPONENTS + componentName(n.name()));
            }
        };
    }

    /** True when a field or parameter of this type may be left out. */
    static boolean optional(Type t) {
        return t.mayBeLeftOut();
    }

    /**
     * `components.schemas`: every declared record and enum in table order, then the internal
     * types that something refers to, then the problem schema. Call after every other schema
     * of the document has been made, so that all references are known.
     */
    ObjectNode components() {
        ObjectNode all = JSON.objectNode();
        for (TypeDef def : module.types()) {
            if (!def.name().startsWith(INTERNAL)) all.set(def.name(), definition(def));
        }
        // Describing an internal type may refer to further internal types: go until none is new.
        var done = new HashSet<String>();
        while (!done.containsAll(referencedInternal)) {
            for (String name : List.copyOf(referencedInternal)) {
                if (done.add(name)) all.set(componentName(name), definition(module.type(name)));
            }
        }
        all.set(PROBLEM, problem());
        return all;
    }

    private ObjectNode definition(TypeDef def) {
        return switch (def) {
            case TypeDef.RecordDef r -> object(r.fields(), null);
            case TypeDef.EnumDef e -> enumeration(e);
        };
    }

    private static ObjectNode primitive(Type.Prim p) {
        return switch (p) {
            case INT -> typed("integer").put("format", "int64");
            case DECIMAL -> typed("number").put("format", "decimal")
                    .put("description", "An exact decimal, written as a JSON number; keep every digit (do not round through a double).");
            case FLOAT -> typed("number").put("format", "double");
            case BOOL -> typed("boolean");
            case STRING -> typed("string");
            case UNIT -> typed("null");
            case JSON -> JSON.objectNode();
            case INSTANT -> typed("string").put("format", "date-time");
            case DURATION -> typed("string").put("format", "duration");
            // No route's input or response holds a Secret (the verifier refuses it): it never reaches the document.
            case SECRET -> throw new IllegalArgumentException("a Secret has no schema");
        };
    }

    /**
     * `T` or null. A schema with a single `type` gets `type: [T, "null"]`; anything else (a `$ref`,
     * `oneOf`, the empty schema) is wrapped as `anyOf: [schema, {type: null}]`.
     */
    static ObjectNode nullable(ObjectNode inner) {
        if (inner.isEmpty()) return inner;
        var type = inner.get("type");
        if (type != null && type.isTextual()) {
            if (type.asText().equals("null")) return inner;
            ObjectNode copy = inner.deepCopy();
            copy.putArray("type").add(type.asText()).add("null");
            return copy;
        }
        if (type != null && type.isArray()) return inner;
        ObjectNode s = JSON.objectNode();
        s.putArray("anyOf").add(inner).add(typed("null"));
        return s;
    }

    /** A record (or a variant's payload): properties in declaration order, non-Option ones required. */
    private ObjectNode object(List<TypeDef.FieldDef> fields, String variant) {
        ObjectNode s = typed("object");
        ObjectNode props = s.putObject("properties");
        ArrayNode required = JSON.arrayNode();
        if (variant != null) {
            props.putObject(VARIANT_TAG).put("const", variant);
            required.add(VARIANT_TAG);
        }
        for (TypeDef.FieldDef f : fields) {
            props.set(f.name(), of(f.type()));
            if (!optional(f.type())) required.add(f.name());
        }
        if (!required.isEmpty()) s.set("required", required);
        return s;
    }

    /** A plain enum is a string; an enum with payloads is one object per variant, tagged by `type`. */
    private ObjectNode enumeration(TypeDef.EnumDef e) {
        if (e.plain()) {
            ObjectNode s = typed("string");
            ArrayNode names = s.putArray("enum");
            for (TypeDef.VariantDef v : e.variants()) names.add(v.name());
            return s;
        }
        ObjectNode s = JSON.objectNode();
        ArrayNode cases = s.putArray("oneOf");
        for (TypeDef.VariantDef v : e.variants()) cases.add(object(v.fields(), v.name()));
        return s;
    }

    private ObjectNode singleField(String name, ObjectNode schema) {
        ObjectNode s = typed("object");
        s.putObject("properties").set(name, schema);
        s.putArray("required").add(name);
        return s;
    }

    /** RFC 9457 problem details; extension members are allowed (validation errors use them). */
    private static ObjectNode problem() {
        ObjectNode s = typed("object");
        s.put("description", "An RFC 9457 problem document.");
        ObjectNode props = s.putObject("properties");
        props.set("type", typed("string").put("format", "uri-reference").put("default", "about:blank"));
        props.set("title", typed("string"));
        props.set("status", typed("integer").put("minimum", 100).put("maximum", 599));
        props.set("detail", typed("string"));
        props.set("instance", typed("string").put("format", "uri-reference"));
        return s;
    }

    private static ObjectNode typed(String type) {
        return JSON.objectNode().put("type", type);
    }
}
