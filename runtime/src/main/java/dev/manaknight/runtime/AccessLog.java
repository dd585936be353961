package dev.manaknight.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Where the one-line-per-request access log goes. */
public interface AccessLog {
    void record(AccessEntry entry);

    AccessLog NONE = entry -> {};

    /** One JSON object per line to a stream (stdout by default). */
    static AccessLog json(PrintStream out) {
        JsonFactory factory = JsonFactory.builder().build();
        return entry -> {
            var w = new StringWriter(160);
            try (JsonGenerator g = factory.createGenerator(w)) {
                g.writeStartObject();
                g.writeStringField("id", entry.id());
                g.writeStringField("method", entry.method());
                g.writeStringField("path", entry.path());
                if (entry.route() == null) g.writeNullField("route");
                else g.writeStringField("route", entry.route());
                g.writeNumberField("status", entry.status());
                g.writeNumberField("micros", entry.micros());
                g.writeNumberField("fuel", entry.fuel());
                g.writeNumberField("memory", entry.memory());
                g.writeNumberField("effects", entry.effects());
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.println(w);
        };
    }
}
