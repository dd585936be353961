package dev.manaknight.runtime.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.manaknight.lang.bytecode.Constant;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.model.Type;
import dev.manaknight.runtime.ReasonPhrase;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/** Describes a module's routes as an OpenAPI 3.1 document (see openapi.md for every mapping rule). */
public final class OpenApi {
    public static final String OPENAPI_VERSION = "3.1.0";
    /** `info.version` is required; apps declare no version of their own yet. */
    static final String APP_VERSION = "0.0.0";
    static final String JSON_MEDIA = "application/json";
    static final String TEXT_MEDIA = "text/plain; charset=utf-8";
    static final String PROBLEM_MEDIA = "application/problem+json";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OpenApi() {}

    /** The document as pretty-printed JSON, ending with a newline. */
    public static String render(Module module, String title) {
        var printer = new DefaultPrettyPrinter().withSeparators(
                Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        try {
            return MAPPER.writer(printer).writeValueAsString(document(module, title)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("openapi: cannot write a JSON tree", e);
        }
    }

    /** The document as a JSON tree; routes keep module order, grouped by path. */
    public static ObjectNode document(Module module, String title) {
        var schemas = new Schemas(module);
        ObjectNode doc = JSON.objectNode();
        doc.put("openapi", OPENAPI_VERSION);
        doc.putObject("info").put("title", title).put("version", APP_VERSION);
        ObjectNode paths = doc.putObject("paths");
        Set<String> operationIds = new HashSet<>();
        for (Route route : module.routes()) {
            String path = templatePath(route.path());
            ObjectNode item = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
            item.set(route.method().name().toLowerCase(Locale.ROOT), operation(route, schemas, operationIds));
        }
        doc.putObject("components").set("schemas", schemas.components());
        return doc;
    }

    /** `/users/:id` becomes `/users/{id}`. */
    static String templatePath(String path) {
        var out = new StringJoiner("/");
        for (String segment : path.split("/", -1)) {
            out.add(segment.startsWith(":") ? "{" + segment.substring(1) + "}" : segment);
        }
        String result = out.toString();
        return result.isEmpty() ? "/" : result;
    }

    private static ObjectNode operation(Route route, Schemas schemas, Set<String> operationIds) {
        ObjectNode op = JSON.objectNode();
        op.put("operationId", operationId(route, operationIds));
        op.put("x-manaknight-source", route.file() + ":" + route.line());

        ArrayNode parameters = JSON.arrayNode();
        Set<String> declaredPathParams = new HashSet<>();
        Route.Input body = null;
        boolean raw = false;
        for (Route.Input input : route.inputs()) {
            switch (input.source()) {
                case PATH -> {
                    declaredPathParams.add(input.wireName());
                    parameters.add(parameter(input, "path", schemas));
                }
                case QUERY -> parameters.add(parameter(input, "query", schemas));
                case HEADER -> parameters.add(parameter(input, "header", schemas));
                case BODY -> body = input;
                case RAW -> raw = true;
            }
        }
        // Every template variable must be described; one the handler never reads is a string.
        for (String segment : route.path().split("/")) {
            if (segment.startsWith(":") && !declaredPathParams.contains(segment.substring(1))) {
                ObjectNode p = parameters.addObject().put("name", segment.substring(1)).put("in", "path").put("required", true);
                p.putObject("schema").put("type", "string");
            }
        }
        if (!parameters.isEmpty()) op.set("parameters", parameters);

        if (body != null) {
            ObjectNode requestBody = op.putObject("requestBody");
            requestBody.put("required", !Schemas.optional(body.type()) && body.defaultValue() == null);
            requestBody.putObject("content").putObject(JSON_MEDIA).set("schema", schemas.of(body.type()));
        } else if (raw) {
            // a raw body alone takes any media type: the handler reads the text as sent
            ObjectNode requestBody = op.putObject("requestBody");
            requestBody.put("required", false);
            requestBody.putObject("content").putObject("*/*").putObject("schema").put("type", "string");
        }

        op.set("responses", responses(route, body != null, raw, schemas));
        return op;
    }

    private static ObjectNode parameter(Route.Input input, String in, Schemas schemas) {
        ObjectNode p = JSON.objectNode();
        p.put("name", input.wireName());
        p.put("in", in);
        boolean required = in.equals("path") || (input.defaultValue() == null && !Schemas.optional(input.type()));
        p.put("required", required);
        // An absent parameter is `none`; a parameter's value is never JSON null, so Option<T> is T.
        Type type = input.type() instanceof Type.OptionOf o ? o.value() : input.type();
        ObjectNode schema = schemas.of(type);
        if (input.defaultValue() != null) {
            schema = schema.deepCopy();
            schema.set("default", defaultValue(input.defaultValue(), type));
        }
        p.set("schema", schema);
        return p;
    }

    /** A default as JSON: Bool defaults travel as Int constants 0/1 in the module. */
    static JsonNode defaultValue(Constant c, Type type) {
        if (type == Type.BOOL && c instanceof Constant.IntConst i) return BooleanNode.valueOf(i.value() != 0);
        return switch (c) {
            case Constant.IntConst i -> LongNode.valueOf(i.value());
            case Constant.FloatConst f -> DoubleNode.valueOf(f.value());
            case Constant.StrConst s -> TextNode.valueOf(s.value());
            case Constant.DecConst d -> DecimalNode.valueOf(d.value());
        };
    }

    private static ObjectNode responses(Route route, boolean hasBody, boolean hasRaw, Schemas schemas) {
        var set = new ResponseSet();
        ObjectNode problem = JSON.objectNode().put("$ref", Schemas.COMPONENTS + Schemas.PROBLEM);
        for (Route.Response r : route.responses()) {
            String status = r.status() == 0 ? "default" : Integer.toString(r.status());
            String description = r.status() == 0 ? "A status computed at run time" : reasonPhrase(r.status());
            switch (r.body()) {
                case NONE -> {
                    if (r.status() >= 400) set.add(status, description, PROBLEM_MEDIA, problem);
                    else set.declare(status, description);
                }
                case JSON -> set.add(status, description, JSON_MEDIA, schemas.of(r.type()));
                case TEXT -> set.add(status, description, TEXT_MEDIA, JSON.objectNode().put("type", "string"));
            }
        }
        // What the runtime itself answers before or around the handler (runtime.md).
        if (!route.inputs().isEmpty()) {
            set.add("400", "Invalid input: the problem document lists every error", PROBLEM_MEDIA, problem);
        }
        if (hasBody || hasRaw) set.add("413", "Request body too large", PROBLEM_MEDIA, problem);
        if (hasBody) set.add("415", "Request body is not " + JSON_MEDIA, PROBLEM_MEDIA, problem);
        set.add("500", "The handler failed: a runtime error or a broken limit", PROBLEM_MEDIA, problem);
        return set.toJson();
    }

    /** `GET /users/:id` becomes `getUsersById`; a clash (after dropping punctuation) gets a number. */
    static String operationId(Route route, Set<String> taken) {
        var id = new StringBuilder(route.method().name().toLowerCase(Locale.ROOT));
        for (String segment : route.path().split("/")) {
            if (segment.isEmpty()) continue;
            boolean param = segment.startsWith(":");
            if (param) id.append("By");
            boolean upper = true;
            for (char ch : (param ? segment.substring(1) : segment).toCharArray()) {
                if (!Character.isLetterOrDigit(ch)) {
                    upper = true;
                    continue;
                }
                id.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        String base = id.toString();
        String candidate = base;
        for (int n = 2; !taken.add(candidate); n++) candidate = base + "_" + n;
        return candidate;
    }

    /** The registered reason phrase, or "Status N" for a code the registry does not name. */
    static String reasonPhrase(int status) {
        String phrase = ReasonPhrase.registered(status);
        return phrase != null ? phrase : "Status " + status;
    }
}
