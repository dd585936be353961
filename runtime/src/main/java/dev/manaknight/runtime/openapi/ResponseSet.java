package dev.manaknight.runtime.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The responses of one operation while they are collected: a status may be answered with several
 * media types, and one media type with several schemas (then they become a `oneOf`).
 */
final class ResponseSet {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Status codes ascending, `default` last, as readers expect them. */
    private static final Comparator<String> ORDER = Comparator
            .comparing((String k) -> k.equals("default"))
            .thenComparing(Comparator.naturalOrder());

    private record Entry(String description, Map<String, List<JsonNode>> content) {}

    private final Map<String, Entry> entries = new TreeMap<>(ORDER);

    /** Declares `status` with the given description unless it has one already; no body. */
    void declare(String status, String description) {
        entries.putIfAbsent(status, new Entry(description, new LinkedHashMap<>()));
    }

    /** Declares `status` answering `mediaType` with `schema`; the same schema twice counts once. */
    void add(String status, String description, String mediaType, JsonNode schema) {
        declare(status, description);
        List<JsonNode> schemas = entries.get(status).content().computeIfAbsent(mediaType, m -> new ArrayList<>());
        if (!schemas.contains(schema)) schemas.add(schema);
    }

    ObjectNode toJson() {
        ObjectNode out = JSON.objectNode();
        entries.forEach((status, entry) -> {
            ObjectNode response = out.putObject(status);
            response.put("description", entry.description());
            if (entry.content().isEmpty()) return;
            ObjectNode content = response.putObject("content");
            entry.content().forEach((media, schemas) -> {
                JsonNode schema = schemas.size() == 1 ? schemas.getFirst() : oneOf(schemas);
                content.putObject(media).set("schema", schema);
            });
        });
        return out;
    }

    private static ObjectNode oneOf(List<JsonNode> schemas) {
        ObjectNode s = JSON.objectNode();
        s.putArray("oneOf").addAll(schemas);
        return s;
    }
}
