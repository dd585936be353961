package dev.manaknight.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9457 problem document (`application/problem+json`). `type` is
 * `https://manaknight.dev/problems/<slug>`, or `about:blank` when the status says all (slug
 * null); `errors` lists each invalid input; `stack` is only filled in development mode.
 */
public record Problem(String slug, String title, int status, String detail, String instance,
                      List<InputError> errors, List<String> stack) {
    public static final String TYPE_BASE = "https://manaknight.dev/problems/";
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final JsonFactory FACTORY = dev.manaknight.runtime.json.Json.FACTORY;

    public Problem {
        errors = List.copyOf(errors);
        stack = List.copyOf(stack);
    }

    public static Problem of(String slug, String title, int status, String detail) {
        return new Problem(slug, title, status, detail, null, List.of(), List.of());
    }

    /** A status with nothing to add (RFC 9457 §4.2.1): `about:blank`, titled by the status's phrase. */
    public static Problem ofStatus(int status) {
        String phrase = ReasonPhrase.registered(status);
        return of(null, phrase == null ? "Error" : phrase, status, null);
    }

    public static Problem notFound(String path) {
        return of("not-found", "Not Found", 404, "no route matches " + path);
    }

    public static Problem invalid(List<InputError> errors) {
        String detail = errors.size() == 1 ? "1 input is invalid" : errors.size() + " inputs are invalid";
        return new Problem("invalid-request", "Bad Request", 400, detail, null, errors, List.of());
    }

    public static Problem tooLarge(long limit) {
        return of("body-too-large", "Content Too Large", 413, "the body is larger than " + limit + " bytes");
    }

    public static Problem unsupportedMediaType(String got) {
        return of("unsupported-media-type", "Unsupported Media Type", 415,
                "the body must be application/json" + (got == null ? "" : ", not " + got));
    }

    public static Problem overloaded() {
        return of("overloaded", "Service Unavailable", 503, "the server is at capacity; retry shortly");
    }

    public String type() { return slug == null ? "about:blank" : TYPE_BASE + slug; }

    public Problem withInstance(String instance) {
        return new Problem(slug, title, status, detail, instance, errors, stack);
    }

    public byte[] toJson() {
        var out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", type());
            g.writeStringField("title", title);
            g.writeNumberField("status", status);
            if (detail != null) g.writeStringField("detail", detail);
            if (instance != null) g.writeStringField("instance", instance);
            if (!errors.isEmpty()) {
                g.writeArrayFieldStart("errors");
                for (InputError e : errors) {
                    g.writeStartObject();
                    g.writeStringField("pointer", e.pointer());
                    g.writeStringField("detail", e.detail());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!stack.isEmpty()) {
                g.writeArrayFieldStart("stack");
                for (String s : stack) g.writeString(s);
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The problem as a reply, with any extra headers (`Allow`, `Retry-After`). */
    public Reply reply(Header... extra) {
        var headers = new ArrayList<Header>(List.of(extra));
        headers.add(new Header("Content-Type", MEDIA_TYPE));
        return new Reply(status, headers, toJson());
    }
}
