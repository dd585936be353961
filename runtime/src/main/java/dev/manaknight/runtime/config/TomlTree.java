package dev.manaknight.runtime.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A TOML document as a Jackson tree, read with jackson-dataformat-toml's {@link TomlFactory}
 * alone. `new TomlMapper().readTree(…)` gives the same tree, but constructing the mapper (an
 * ObjectMapper: type factory, date formats, the default time zone, …) took about 30 ms of every
 * CGI process, a quarter of its work (bench/RESULTS.md §8). The factory's parser has already
 * parsed the whole document; this walks its tokens back into nodes.
 */
final class TomlTree {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TomlTree() {}

    static JsonNode read(Path file) throws IOException {
        return tree(new TomlFactory().createParser(file.toFile()));
    }

    static JsonNode parse(String toml) throws IOException {
        return tree(new TomlFactory().createParser(toml));
    }

    private static JsonNode tree(JsonParser parser) throws IOException {
        try (JsonParser p = parser) {
            p.nextToken();
            return value(p);
        }
    }

    /** The value at the parser's current token, children included; leaves the parser on its last token. */
    private static JsonNode value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) return NODES.objectNode(); // an empty document
        return switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    o.set(name, value(p));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) a.add(value(p));
                yield a;
            }
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
                    ? NODES.numberNode(p.getDecimalValue()) : NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            case VALUE_EMBEDDED_OBJECT -> NODES.pojoNode(p.getEmbeddedObject());
            case END_OBJECT, END_ARRAY, FIELD_NAME, NOT_AVAILABLE ->
                    throw new IOException("unexpected " + t + " in the TOML parser's token stream");
        };
    }
}
