package dev.manaknight.runtime.input;

import com.fasterxml.jackson.databind.JsonNode;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.vm.Values;
import dev.manaknight.runtime.InputError;
import dev.manaknight.runtime.Request;
import dev.manaknight.runtime.json.JsonDecoder;
import dev.manaknight.runtime.json.ReadError;
import dev.manaknight.runtime.json.TypeTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes and validates a route's inputs (path, query, headers, body) before any VM exists,
 * collecting every error rather than the first.
 */
public final class InputDecoder {
    private final TextValues text;
    private final JsonDecoder json;

    public InputDecoder(TypeTable types) {
        this.text = new TextValues(types);
        this.json = new JsonDecoder(types);
    }

    public Inputs decode(Route route, Map<String, String> pathParams, Request req) {
        var errors = new ArrayList<InputError>();
        QueryString query;
        try {
            query = QueryString.parse(req.query());
        } catch (IllegalArgumentException e) {
            errors.add(new InputError("/query", e.getMessage()));
            query = new QueryString(Map.of());
        }
        var args = new Object[route.inputs().size()];
        for (int i = 0; i < args.length; i++) {
            Route.Input in = route.inputs().get(i);
            args[i] = switch (in.source()) {
                case PATH -> fromTexts(in, "/path/" + in.wireName(), listOf(pathParams.getOrDefault(in.wireName(), pathParams.get(in.name()))), errors);
                case QUERY -> fromTexts(in, "/query/" + JsonDecoder.escape(in.wireName()), query.all(in.wireName()), errors);
                case HEADER -> fromTexts(in, "/header/" + in.wireName(), req.headerValues(in.wireName()), errors);
                case BODY -> {
                    String ct = req.header("Content-Type");
                    if ((ct != null || req.body().length > 0) && !isJson(ct)) yield new Unsupported(ct);
                    yield body(in.type(), req.body(), errors);
                }
                case RAW -> raw(req.body(), errors);
            };
            if (args[i] instanceof Unsupported u) return new Inputs.UnsupportedMediaType(u.contentType());
        }
        return errors.isEmpty() ? new Inputs.Valid(args) : new Inputs.Invalid(List.copyOf(errors));
    }

    private Object fromTexts(Route.Input in, String pointer, List<String> texts, List<InputError> errors) {
        Type type = in.type();
        if (type instanceof Type.ListOf l) {
            var items = new Object[texts.size()];
            for (int i = 0; i < items.length; i++) items[i] = one(l.element(), texts.get(i), pointer, errors);
            return new Values.ListValue(items);
        }
        if (texts.isEmpty()) {
            if (in.defaultValue() != null) return text.fromConstant(type, in.defaultValue());
            if (type instanceof Type.OptionOf) return Values.None.NONE;
            errors.add(new InputError(pointer, "is required"));
            return null;
        }
        if (texts.size() > 1) {
            errors.add(new InputError(pointer, "must be given once"));
            return null;
        }
        return one(type, texts.getFirst(), pointer, errors);
    }

    private Object one(Type type, String s, String pointer, List<InputError> errors) {
        Object v = text.parse(type, s);
        if (v instanceof TextValues.Bad b) {
            errors.add(new InputError(pointer, b.detail()));
            return null;
        }
        return v;
    }

    private Object body(Type type, byte[] bytes, List<InputError> errors) {
        if (bytes.length == 0) {
            if (type instanceof Type.OptionOf) return Values.None.NONE;
            errors.add(new InputError("/body", "a JSON body is required"));
            return null;
        }
        JsonNode node;
        try {
            node = JsonDecoder.parse(bytes);
        } catch (IOException e) {
            errors.add(new InputError("/body", "is not valid JSON: " + ReadError.describe(e)));
            return null;
        }
        return json.decode(node, type, "/body", errors);
    }

    /**
     * A `raw` input: the body's bytes as text, exactly as sent (whatever its Content-Type; a
     * `body` beside it holds the request to JSON), so a signature over them can be checked.
     * Bytes that are not UTF-8 are a 400: the text would not be the bytes that were signed.
     */
    private static Object raw(byte[] bytes, List<InputError> errors) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            errors.add(new InputError("/body", "is not UTF-8 text"));
            return null;
        }
    }

    /** `application/json`, `application/problem+json`, with any parameters. */
    static boolean isJson(String contentType) {
        if (contentType == null) return false;
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    }

    private static List<String> listOf(String s) { return s == null ? List.of() : List.of(s); }

    /** Marks a 415 inside the argument loop. */
    private record Unsupported(String contentType) {}
}
