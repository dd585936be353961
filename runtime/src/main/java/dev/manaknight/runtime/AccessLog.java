package dev.manaknight.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Where the one-line-per-request access log goes; closing flushes what is buffered. */
public interface AccessLog extends AutoCloseable {
    void record(AccessEntry entry);

    /** Writes out anything buffered and releases the destination; idempotent. */
    @Override default void close() {}

    /** Opens a file destination again (after logrotate moved it); nothing for the others. */
    default void reopen() throws java.io.IOException {}

    AccessLog NONE = entry -> {};

    /** One JSON object per line: id, method, path, route, status, micros, fuel, memory, effects. */
    static AccessLog json(LineSink out) {
        JsonFactory factory = dev.manaknight.runtime.json.Json.FACTORY;
        return new AccessLog() {
            @Override public void record(AccessEntry entry) {
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
                out.line(w.toString());
            }

            @Override public void close() { out.close(); }
        };
    }
}
