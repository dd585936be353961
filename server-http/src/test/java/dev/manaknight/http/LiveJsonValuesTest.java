package dev.manaknight.http;

import static dev.manaknight.http.LiveStatusTest.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.manaknight.lang.Compiler;
import dev.manaknight.lang.source.SourceFile;
import dev.manaknight.lang.vm.Program;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 items 6 and 8 over a real socket, with the real compiler, VM and SQLite: a PATCH body
 * of `Patch<T>` fields keeps a field left out, clears one sent as null and sets one given; a
 * wrong type is a 400 problem naming the field; the OpenAPI document says which may be left out
 * and which may be null. A handler builds, inspects and parses `Json` values and answers them.
 */
class LiveJsonValuesTest {
    private static final String APP = """
            type Contact { id: Int, name: String, phone: Option<String> }
            type NewContact { name: String, phone: Option<String> }
            type ContactPatch { name: Patch<String>, phone: Patch<String> }

            db {
              addContact(name: String, phone: Option<String>): Contact =
                  "INSERT INTO contacts (name, phone) VALUES (:name, :phone) RETURNING id, name, phone"
              findContact(id: Int): Option<Contact> = "SELECT id, name, phone FROM contacts WHERE id = :id"
              saveContact(id: Int, name: String, phone: Option<String>): Contact =
                  "UPDATE contacts SET name = :name, phone = :phone WHERE id = :id RETURNING id, name, phone"
            }

            api POST /contacts {
              uses { db }
              body c: NewContact
              respond status 201 json(db.addContact(c.name, c.phone))
            }

            api PATCH /contacts/:id {
              uses { db }
              body p: ContactPatch
              match db.findContact(id) {
                none -> respond status 404 text("no contact ${id}")
                some(c) -> {
                  let name = match p.name {
                    Patch.set(n) -> n
                    Patch.null -> c.name
                    Patch.absent -> c.name
                  }
                  let phone = match p.phone {
                    Patch.absent -> c.phone
                    Patch.null -> none
                    Patch.set(n) -> some(n)
                  }
                  respond json(db.saveContact(id, name, phone))
                }
              }
            }

            api POST /summary {
              body doc: Json
              let items = doc.get("items").andThen(j -> j.asList()).getOr([])
              let names = items.map(i -> i.get("name").andThen(n -> n.asText()).getOr("?"))
              respond json(Json.from({ "count": Json.from(items.len()), "names": Json.from(names), "raw": doc }))
            }

            api GET /parse {
              query doc: String
              match Json.parse(doc) {
                ok(j) -> respond text(j.toString())
                err(e) -> respond status 422 text(e)
              }
            }
            """;

    @TempDir Path dir;
    private LiveApp app;

    @BeforeEach void start() throws Exception {
        Files.writeString(dir.resolve("schema.sql"),
                "CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, phone TEXT);\n");
        app = LiveApp.start(Program.load(Compiler.compile(List.of(new SourceFile("app.mnk", APP)))), dir,
                "[server]\nopenapi = true\n[db]\nurl = \"sqlite:app.db\"\nschema = \"schema.sql\"\n");
    }

    @AfterEach void stop() {
        app.close();
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        return app.send(method, path, json, json == null ? null : "application/json");
    }

    @Test void aPatchKeepsWhatIsLeftOutClearsNullAndSetsValues() throws Exception {
        var made = send("POST", "/contacts", "{\"name\":\"Ada\",\"phone\":\"555\"}");
        assertEquals(201, made.statusCode(), made.body());

        var kept = send("PATCH", "/contacts/1", "{\"name\":\"Ada L\"}");
        assertEquals(200, kept.statusCode(), kept.body());
        assertEquals("{\"id\":1,\"name\":\"Ada L\",\"phone\":\"555\"}", kept.body());

        var cleared = send("PATCH", "/contacts/1", "{\"phone\":null}");
        assertEquals(200, cleared.statusCode(), cleared.body());
        assertEquals("{\"id\":1,\"name\":\"Ada L\",\"phone\":null}", cleared.body());

        var set = send("PATCH", "/contacts/1", "{\"phone\":\"777\",\"name\":null}");
        assertEquals("{\"id\":1,\"name\":\"Ada L\",\"phone\":\"777\"}", set.body());
        assertEquals("{\"id\":1,\"name\":\"Ada L\",\"phone\":\"777\"}", send("PATCH", "/contacts/1", "{}").body());

        JsonNode wrong = problem(send("PATCH", "/contacts/1", "{\"phone\":5}"), 400, "invalid-request");
        assertEquals("/body/phone", wrong.get("errors").get(0).get("pointer").asText(), wrong.toString());
        assertEquals("must be a string", wrong.get("errors").get(0).get("detail").asText(), wrong.toString());
        problem(send("PATCH", "/contacts/1", "{\"email\":\"x\"}"), 400, "invalid-request");
        assertEquals(404, send("PATCH", "/contacts/9", "{}").statusCode());
    }

    @Test void theOpenApiDocumentSaysAPatchFieldMayBeLeftOutOrNull() throws Exception {
        var doc = send("GET", "/openapi.json", null);
        assertEquals(200, doc.statusCode(), doc.body());
        JsonNode patch = LiveApp.JSON.readTree(doc.body()).at("/components/schemas/ContactPatch");
        assertFalse(patch.has("required") && patch.get("required").toString().contains("phone"), patch.toString());
        assertEquals("[\"string\",\"null\"]", patch.at("/properties/phone/type").toString(), patch.toString());
        assertTrue(patch.at("/properties/phone/description").asText().contains("null to clear"), patch.toString());
    }

    @Test void handlersBuildInspectAndParseJson() throws Exception {
        var summary = send("POST", "/summary", "{\"items\":[{\"name\":\"pen\"},{\"name\":2}],\"z\":1.50}");
        assertEquals(200, summary.statusCode(), summary.body());
        assertEquals("{\"count\":2,\"names\":[\"pen\",\"?\"],\"raw\":{\"items\":[{\"name\":\"pen\"},{\"name\":2}],\"z\":1.50}}",
                summary.body());

        String doc = URLEncoder.encode("{\"b\": [1, 2.50, null], \"a\": \"\\u00e9\"}", StandardCharsets.UTF_8);
        var parsed = send("GET", "/parse?doc=" + doc, null);
        assertEquals(200, parsed.statusCode(), parsed.body());
        assertEquals("{\"b\":[1,2.50,null],\"a\":\"é\"}", parsed.body());
        var bad = send("GET", "/parse?doc=" + URLEncoder.encode("{\"a\":", StandardCharsets.UTF_8), null);
        assertEquals(422, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("end-of-input"), bad.body());
    }
}
