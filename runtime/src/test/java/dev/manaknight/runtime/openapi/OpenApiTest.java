package dev.manaknight.runtime.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.manaknight.lang.bytecode.Module;
import dev.manaknight.lang.bytecode.Route;
import dev.manaknight.lang.bytecode.TypeDef;
import dev.manaknight.lang.model.HttpMethod;
import dev.manaknight.lang.model.Type;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenApiTest {
    /** Reads numbers with a fraction as BigDecimal, so a Decimal default keeps its scale. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /** Renders, checks the text with swagger-parser (no messages at all), and parses it back. */
    private static JsonNode validDocument(Module module) throws Exception {
        String json = OpenApi.render(module, "test app");
        var result = new OpenAPIV3Parser().readContents(json);
        assertEquals(List.of(), result.getMessages(), json);
        assertTrue(result.getOpenAPI() != null, "swagger-parser produced no model");
        return MAPPER.readTree(json);
    }

    private static List<String> names(JsonNode node) {
        var out = new ArrayList<String>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> texts(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test void seedProgramIsAValidDocument() throws Exception {
        JsonNode doc = validDocument(Modules.seed());
        assertEquals("3.1.0", doc.get("openapi").asText());
        assertEquals("test app", doc.at("/info/title").asText());

        JsonNode get = doc.at("/paths/~1users~1{id}/get");
        assertFalse(get.isMissingNode(), doc.toPrettyString());
        assertEquals("getUsersById", get.get("operationId").asText());
        assertEquals("users.mnk:1", get.get("x-manaknight-source").asText());
        JsonNode id = get.at("/parameters/0");
        assertEquals("id", id.get("name").asText());
        assertEquals("path", id.get("in").asText());
        assertTrue(id.get("required").asBoolean());
        assertEquals(MAPPER.readTree("{\"type\":\"integer\",\"format\":\"int64\"}"), id.get("schema"));

        JsonNode responses = get.get("responses");
        assertEquals(List.of("200", "400", "404", "500"), names(responses));
        assertEquals("#/components/schemas/User", responses.at("/200/content/application~1json/schema/$ref").asText());
        assertEquals("#/components/schemas/manaknight.Problem",
                responses.at("/404/content/application~1problem+json/schema/$ref").asText());
        assertEquals(List.of("application/problem+json"), names(responses.at("/400/content")));
        assertFalse(get.has("requestBody"));
        assertTrue(responses.at("/413").isMissingNode(), "no body, so no 413");
    }

    @Test void recordsAreObjectsWithRequiredPropertiesInDeclarationOrder() throws Exception {
        JsonNode user = validDocument(Modules.seed()).at("/components/schemas/User");
        assertEquals("object", user.get("type").asText());
        assertEquals(List.of("id", "name", "email"), names(user.get("properties")));
        assertEquals(List.of("id", "name", "email"), texts(user.get("required")));
    }

    @Test void problemSchemaFollowsRfc9457() throws Exception {
        JsonNode problem = validDocument(Modules.seed()).at("/components/schemas/manaknight.Problem");
        assertEquals(List.of("type", "title", "status", "detail", "instance"), names(problem.get("properties")));
        assertEquals("about:blank", problem.at("/properties/type/default").asText());
    }

    @Test void everyInputKindIsDescribed() throws Exception {
        JsonNode post = validDocument(Modules.transfers()).at("/paths/~1accounts~1{id}~1transfers/post");
        assertEquals("postAccountsByIdTransfers", post.get("operationId").asText());
        JsonNode params = post.get("parameters");
        assertEquals(7, params.size());

        JsonNode dryRun = params.get(1);
        assertEquals("query", dryRun.get("in").asText());
        assertFalse(dryRun.get("required").asBoolean(), "a default makes it optional");
        assertEquals(MAPPER.readTree("{\"type\":\"boolean\",\"default\":false}"), dryRun.get("schema"));

        JsonNode tag = params.get(2);
        assertTrue(tag.get("required").asBoolean());
        assertEquals(MAPPER.readTree("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"), tag.get("schema"));

        JsonNode note = params.get(3);
        assertFalse(note.get("required").asBoolean(), "Option is optional");
        assertEquals(MAPPER.readTree("{\"type\":\"string\"}"), note.get("schema"), "absent is none; never null");

        JsonNode role = params.get(4);
        assertEquals("#/components/schemas/Role", role.at("/schema/$ref").asText());
        assertEquals("member", role.at("/schema/default").asText());

        assertEquals("0.50", params.get(5).at("/schema/default").decimalValue().toPlainString());

        JsonNode header = params.get(6);
        assertEquals("header", header.get("in").asText());
        assertEquals("Idempotency-Key", header.get("name").asText());
        assertTrue(header.get("required").asBoolean());

        assertTrue(post.at("/requestBody/required").asBoolean());
        assertEquals("#/components/schemas/NewTransfer",
                post.at("/requestBody/content/application~1json/schema/$ref").asText());

        JsonNode responses = post.get("responses");
        assertEquals(List.of("201", "400", "413", "415", "422", "500"), names(responses));
        assertEquals("string", responses.at("/422/content/text~1plain; charset=utf-8/schema/type").asText());
    }

    @Test void typesMapToJsonSchema() throws Exception {
        JsonNode schemas = validDocument(Modules.transfers()).at("/components/schemas");
        JsonNode t = schemas.at("/Transfer/properties");
        assertEquals("decimal", t.at("/amount/format").asText());
        assertEquals("number", t.at("/amount/type").asText());
        assertTrue(t.at("/amount/description").asText().contains("exact decimal"));
        assertEquals(MAPPER.readTree("{\"type\":\"number\",\"format\":\"double\"}"), t.get("rate"));
        assertEquals(MAPPER.readTree("{\"type\":\"boolean\"}"), t.get("done"));
        assertEquals(MAPPER.readTree("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}"), t.get("tags"));
        assertEquals(MAPPER.readTree("{}"), t.get("extra"));
        assertEquals(MAPPER.readTree("{\"type\":\"null\"}"), t.get("nothing"));
        assertEquals(MAPPER.readTree("{\"anyOf\":[{\"$ref\":\"#/components/schemas/Role\"},{\"type\":\"null\"}]}"), t.get("owner"));
        assertEquals(MAPPER.readTree("""
                {"oneOf":[{"type":"object","properties":{"ok":{"type":"integer","format":"int64"}},"required":["ok"]},
                          {"type":"object","properties":{"err":{"type":"string"}},"required":["err"]}]}"""), t.get("check"));
        assertFalse(texts(schemas.at("/Transfer/required")).contains("owner"), "Option fields are not required");
        assertEquals(List.of("to", "amount"), texts(schemas.at("/NewTransfer/required")));
    }

    @Test void enumsAreStringsOrTaggedObjects() throws Exception {
        JsonNode schemas = validDocument(Modules.transfers()).at("/components/schemas");
        assertEquals(MAPPER.readTree("{\"type\":\"string\",\"enum\":[\"admin\",\"member\"]}"), schemas.get("Role"));
        assertEquals(MAPPER.readTree("""
                {"oneOf":[
                  {"type":"object","properties":{"type":{"const":"active"}},"required":["type"]},
                  {"type":"object","properties":{"type":{"const":"suspended"},"reason":{"type":"string"}},
                   "required":["type","reason"]}]}"""), schemas.get("State"));
    }

    @Test void computedStatusIsTheDefaultResponseAndPathsGroupMethods() throws Exception {
        JsonNode item = validDocument(Modules.transfers()).at("/paths/~1accounts~1{id}~1transfers");
        assertEquals(List.of("post", "get"), names(item));
        JsonNode responses = item.at("/get/responses");
        assertEquals(List.of("200", "400", "500", "default"), names(responses));
        assertFalse(responses.get("default").has("content"));
        assertEquals("array", responses.at("/200/content/application~1json/schema/type").asText());
    }

    @Test void oneStatusWithSeveralBodiesListsEveryMediaType() throws Exception {
        JsonNode responses = validDocument(Modules.transfers()).at("/paths/~1health/get/responses");
        assertEquals(List.of("200", "500"), names(responses), "no inputs, so no 400");
        assertEquals(List.of("text/plain; charset=utf-8", "application/json"), names(responses.at("/200/content")));
    }

    @Test void sameMediaTypeWithTwoSchemasBecomesOneOf() throws Exception {
        var route = new Route(HttpMethod.GET, "/x", 0, List.of(), 0,
                List.of(new Route.Response(200, Route.BodyKind.JSON, Type.INT),
                        new Route.Response(200, Route.BodyKind.JSON, Type.STRING),
                        new Route.Response(200, Route.BodyKind.JSON, Type.INT)),
                "x.mnk", 1);
        JsonNode schema = validDocument(Modules.module(List.of(), List.of(route)))
                .at("/paths/~1x/get/responses/200/content/application~1json/schema");
        assertEquals(2, schema.get("oneOf").size(), schema.toString());
    }

    /** Issue 15: an Instant is `format: date-time` (RFC 3339), a Duration `format: duration`, as inputs and in bodies. */
    @Test void instantsAreDateTimesAndDurationsDurations() throws Exception {
        var route = new Route(HttpMethod.GET, "/since", 0,
                List.of(new Route.Input(Route.Source.QUERY, "from", "from", Type.INSTANT, null)), 0,
                List.of(new Route.Response(200, Route.BodyKind.JSON, new Type.ListOf(Type.DURATION))), "x.mnk", 1);
        JsonNode op = validDocument(Modules.module(List.of(), List.of(route))).at("/paths/~1since/get");
        assertEquals("string", op.at("/parameters/0/schema/type").asText());
        assertEquals("date-time", op.at("/parameters/0/schema/format").asText());
        JsonNode items = op.at("/responses/200/content/application~1json/schema/items");
        assertEquals("string", items.at("/type").asText(), items.toString());
        assertEquals("duration", items.at("/format").asText(), items.toString());
    }

    /** Issue 15: a raw input alone takes any text; beside a body, the body describes the request. */
    @Test void aRawInputIsAnyText() throws Exception {
        var raw = new Route.Input(Route.Source.RAW, "payload", "payload", Type.STRING, null);
        var alone = new Route(HttpMethod.POST, "/hook", 0, List.of(raw), 0, List.of(new Route.Response(204, Route.BodyKind.NONE, null)),
                "x.mnk", 1);
        var beside = new Route(HttpMethod.POST, "/typed", 0, List.of(raw, new Route.Input(Route.Source.BODY, "n", "n", Type.INT, null)),
                0, List.of(new Route.Response(204, Route.BodyKind.NONE, null)), "x.mnk", 2);
        JsonNode paths = validDocument(Modules.module(List.of(), List.of(alone, beside))).get("paths");
        JsonNode hook = paths.at("/~1hook/post");
        assertFalse(hook.at("/requestBody/required").asBoolean(), hook.toString());
        assertEquals("string", hook.at("/requestBody/content/*~1*/schema/type").asText(), hook.toString());
        assertEquals(List.of("204", "400", "413", "500"), names(hook.get("responses")));
        JsonNode typed = paths.at("/~1typed/post");
        assertEquals(List.of("application/json"), names(typed.at("/requestBody/content")));
        assertEquals(List.of("204", "400", "413", "415", "500"), names(typed.get("responses")));
    }

    @Test void unreadPathParametersAreStillDeclared() throws Exception {
        var route = new Route(HttpMethod.DELETE, "/items/:itemId", 0, List.of(), 0,
                List.of(new Route.Response(204, Route.BodyKind.NONE, Type.UNIT)), "x.mnk", 1);
        JsonNode op = validDocument(Modules.module(List.of(), List.of(route))).at("/paths/~1items~1{itemId}/delete");
        assertEquals("itemId", op.at("/parameters/0/name").asText());
        assertEquals("string", op.at("/parameters/0/schema/type").asText());
        assertEquals("No Content", op.at("/responses/204/description").asText());
    }

    @Test void internalTypesStayOutUnlessReferenced() throws Exception {
        var response = new TypeDef.RecordDef("$Response", List.of(
                new TypeDef.FieldDef("status", Type.INT), new TypeDef.FieldDef("part", new Type.Named("$Part"))));
        var part = new TypeDef.RecordDef("$Part", List.of(new TypeDef.FieldDef("x", Type.INT)));
        var unreferenced = Modules.module(List.of(Modules.USER, response, part), List.of());
        assertEquals(List.of("User", "manaknight.Problem"), names(validDocument(unreferenced).at("/components/schemas")));

        var route = new Route(HttpMethod.GET, "/r", 0, List.of(), 0,
                List.of(new Route.Response(200, Route.BodyKind.JSON, new Type.Named("$Response"))), "x.mnk", 1);
        JsonNode doc = validDocument(Modules.module(List.of(Modules.USER, response, part), List.of(route)));
        assertEquals(List.of("User", "manaknight.Response", "manaknight.Part", "manaknight.Problem"),
                names(doc.at("/components/schemas")));
        assertEquals("#/components/schemas/manaknight.Part",
                doc.at("/components/schemas/manaknight.Response/properties/part/$ref").asText());
    }

    @Test void anEmptyModuleIsStillValid() throws Exception {
        JsonNode doc = validDocument(Modules.module(List.of(), List.of()));
        assertEquals(List.of("manaknight.Problem"), names(doc.at("/components/schemas")));
    }

    @Test void anUnknownNamedTypeIsRefused() {
        var route = new Route(HttpMethod.GET, "/x", 0, List.of(), 0,
                List.of(new Route.Response(200, Route.BodyKind.JSON, new Type.Named("Ghost"))), "x.mnk", 1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> OpenApi.render(Modules.module(List.of(), List.of(route)), "t"));
        assertTrue(e.getMessage().contains("Ghost"), e.getMessage());
    }

    /** Guards the guard: the validator used above does report a broken document. */
    @Test void validatorRejectsADocumentWithoutItsRequiredParts() {
        var doc = OpenApi.document(Modules.seed(), "t");
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("info")).remove("version");
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.at("/paths/~1users~1{id}/get/parameters/0")).remove("in");
        var messages = new OpenAPIV3Parser().readContents(doc.toString()).getMessages();
        assertTrue(messages.size() >= 2, messages.toString());
    }

    @Test void templatePaths() {
        assertEquals("/users/{id}", OpenApi.templatePath("/users/:id"));
        assertEquals("/a/{b}/c/{d}", OpenApi.templatePath("/a/:b/c/:d"));
        assertEquals("/", OpenApi.templatePath("/"));
    }

    @Test void operationIdsAreUnique() {
        var taken = new HashSet<String>();
        var a = new Route(HttpMethod.GET, "/user-list", 0, List.of(), 0, List.of(), "x.mnk", 1);
        var b = new Route(HttpMethod.GET, "/user_list", 0, List.of(), 0, List.of(), "x.mnk", 2);
        assertEquals("getUserList", OpenApi.operationId(a, taken));
        assertEquals("getUserList_2", OpenApi.operationId(b, taken));
        assertEquals("get", OpenApi.operationId(new Route(HttpMethod.GET, "/", 0, List.of(), 0, List.of(), "x.mnk", 3), taken));
    }

    @Test void renderingIsDeterministicAndEndsWithNewline() {
        String one = OpenApi.render(Modules.transfers(), "t");
        assertEquals(one, OpenApi.render(Modules.transfers(), "t"));
        assertTrue(one.endsWith("}\n"));
        assertTrue(one.contains("\"openapi\": \"3.1.0\""), "field: value spacing");
    }
}
